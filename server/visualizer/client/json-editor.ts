/**
 * The process owner's JSON editor for a draft config (#16): CodeMirror 6 with line numbers, JSON
 * highlighting, matching brackets and the validation errors marked on their lines. Loaded with
 * `import()` by the config page alone, so no other page's script carries it. CodeMirror styles
 * itself with `<style>` elements: they carry the nonce the server put in this page's CSP.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';

export interface JsonEditor {
  text(): string;
  setText(text: string): void;
  /** Puts the cursor on a line and column (1-based, as the API counts), in view, with focus. */
  goTo(line: number, column?: number): void;
  /** Marks these problems on their lines (a problem without a line marks nothing). */
  mark(problems: ReadonlyArray<{ line?: number; column?: number; nb: string }>): void;
}

export function createJsonEditor(
  parent: HTMLElement,
  attributes: { id: string; labelledBy: string; describedBy: string },
): JsonEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle),
        json(),
        lintGutter(),
        // No Tab binding: Tab leaves the editor, so a keyboard user is never trapped in it.
        keymap.of([...defaultKeymap, ...historyKeymap]),
        // A long line wraps rather than widen the page on a phone; a long draft scrolls inside
        // its box (CodeMirror's own recipe: the height on the editor, the overflow on its scroller).
        EditorView.lineWrapping,
        EditorView.cspNonce.of(document.body.dataset.styleNonce ?? ''),
        EditorView.theme({
          '&': { minHeight: '12rem', maxHeight: '32rem' },
          '.cm-scroller': { overflow: 'auto' },
        }),
        EditorView.contentAttributes.of({
          id: attributes.id,
          'aria-labelledby': attributes.labelledBy,
          'aria-describedby': attributes.describedBy,
          'aria-multiline': 'true',
          role: 'textbox',
          spellcheck: 'false',
          // Editable text is focusable anyway; said outright, checkers see the scrolled box can be reached.
          tabindex: '0',
        }),
      ],
    }),
  });

  /** The document offset of a 1-based line and column, kept inside the document. */
  function offset(line: number, column = 1): number {
    const doc = view.state.doc;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    return Math.min(l.from + Math.max(0, column - 1), l.to);
  }

  return {
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    goTo(line, column) {
      const at = offset(line, column);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
    mark(problems) {
      const diagnostics: Diagnostic[] = problems
        .filter((p) => p.line !== undefined)
        .map((p) => {
          const from = offset(p.line!, p.column);
          return {
            from,
            to: view.state.doc.lineAt(from).to,
            severity: 'error',
            message: p.nb,
          };
        });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
  };
}
