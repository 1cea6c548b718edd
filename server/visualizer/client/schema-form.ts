/**
 * Forms generated from an event's JSON Schema payload. The server stays the judge of validity
 * (the form has `novalidate`): its 422 details are JSON pointers into the payload, each with
 * ajv-i18n's bokmål (`nb`, from config/ajv-nb.ts), shown at the field it points to, or at the
 * nearest enclosing field, or above the button, named by the field's title. Not ajv in the page:
 * it compiles schemas with `new Function`, which the CSP forbids, and it would add ~600 KB to a
 * 129 KB script. Fields a choice calls for (`if`/`then` on a property's `const`) show
 * only while that choice is made, marked required when it requires them, so what a choice asks
 * for is visible before sending.
 */
import { FormLimits } from '../../../config/form-bounds';
import { escapePointerSegment } from '../../../config/json-pointer';
import type { ErrorDetail } from './api';
import { parseDuration } from '../../../config/duration';
import { h, type Child } from './dom';
import { durationWords } from './format';

type Schema = Record<string, unknown>;

interface Field {
  el: HTMLElement;
  /** The value to send, or undefined to leave the property out. */
  read(): unknown;
}

interface Slot {
  /** The field's title, to name it in a message shown away from it. */
  title: string;
  errorEl: HTMLElement;
  focusEl: HTMLElement | null;
  inputs: HTMLElement[];
}

export interface SchemaForm {
  element: HTMLFormElement;
  value(): unknown;
  showErrors(details: ErrorDetail[], formMessage?: string): void;
  clearErrors(): void;
  setBusy(busy: boolean): void;
}

const isSchema = (v: unknown): v is Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** "ingen_grunn_til_bekymring" → "Ingen grunn til bekymring"; config titles win where present. */
export function humanize(id: string): string {
  const words = id
    .replace(/_/g, ' ')
    .replace(/([a-zæøå])([A-ZÆØÅ])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A choice in words: config durations as durations ("P1M" → "1 måned"), ids humanized. */
export function choiceLabel(v: unknown): string {
  if (typeof v === 'string' && parseDuration(v)) return durationWords(v);
  return typeof v === 'string' ? humanize(v) : String(v);
}

/** The server lists an enum's allowed values as ids; the form offers them in words. */
function choicesInWords(message: string): string {
  return message.startsWith('Må være en av:')
    ? message.replace(/«([^»]*)»/g, (_, v: string) => `«${choiceLabel(v)}»`)
    : message;
}

function titleOf(name: string, s: Schema): string {
  return typeof s.title === 'string' ? s.title : humanize(name);
}

interface Condition {
  /** Property → the value (`const`) that makes the condition hold. */
  when: Record<string, unknown>;
  required: string[];
  shows: string[];
}

/** `if: { properties: { x: { const } } }, then: {...}` blocks, alone or in `allOf`. */
function conditionsOf(s: Schema): Condition[] {
  const blocks = [...(Array.isArray(s.allOf) ? (s.allOf as unknown[]) : []), s];
  const out: Condition[] = [];
  for (const b of blocks) {
    if (!isSchema(b) || !isSchema(b.if) || !isSchema(b.then)) continue;
    const ifProps = isSchema(b.if.properties) ? b.if.properties : {};
    const when: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(ifProps))
      if (isSchema(sub) && 'const' in sub) when[k] = sub.const;
    if (Object.keys(when).length === 0 || Object.keys(when).length !== Object.keys(ifProps).length)
      continue;
    const required = Array.isArray(b.then.required) ? (b.then.required as string[]) : [];
    const shown = isSchema(b.then.properties) ? Object.keys(b.then.properties) : [];
    out.push({ when, required, shows: [...new Set([...shown, ...required])] });
  }
  return out;
}

function typeOf(schema: Schema): string | undefined {
  const t = schema.type;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  return typeof t === 'string' ? t : undefined;
}

export function buildSchemaForm(
  schema: Schema,
  opts: { idPrefix: string; submitLabel: string; onSubmit: (form: SchemaForm) => void },
): SchemaForm {
  const slots = new Map<string, Slot>();
  let uid = 0;
  const nextId = () => `${opts.idPrefix}-f${uid++}`;

  function errorSlot(
    pointer: string,
    focusEl: HTMLElement | null,
    inputs: HTMLElement[],
    title = '',
  ): HTMLElement {
    const errorEl = h('p', { class: 'field-error', id: nextId(), tabindex: -1, hidden: true });
    for (const input of inputs)
      input.setAttribute(
        'aria-describedby',
        [input.getAttribute('aria-describedby'), errorEl.id].filter(Boolean).join(' '),
      );
    slots.set(pointer, { title, errorEl, focusEl, inputs });
    return errorEl;
  }

  function labelText(name: string, s: Schema, required: boolean): Child[] {
    return [
      typeof s.title === 'string' ? s.title : humanize(name),
      required ? h('span', { class: 'required' }, ' (må fylles ut)') : null,
    ];
  }

  function hint(s: Schema): { el: HTMLElement | null; id?: string } {
    if (typeof s.description !== 'string') return { el: null };
    const id = nextId();
    return { el: h('p', { class: 'hint', id }, s.description), id };
  }

  function field(name: string, s: Schema, pointer: string, required: boolean): Field {
    const type = typeOf(s);
    if (type === 'object' && isSchema(s.properties)) return objectField(name, s, pointer, required);
    if (type === 'array' && isSchema(s.items)) return arrayField(name, s, pointer, required);
    if (Array.isArray(s.enum)) return enumField(name, s, pointer, required);
    if (type === 'boolean') return booleanField(name, s, pointer);
    if (type === 'string' || type === 'integer' || type === 'number')
      return inputField(name, s, pointer, required, type);
    return jsonField(name, s, pointer, required);
  }

  function objectField(
    name: string,
    s: Schema,
    pointer: string,
    required: boolean,
    root = false,
  ): Field {
    const req = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    const children = Object.entries(s.properties as Schema)
      .filter(([, sub]) => isSchema(sub))
      .map(
        ([key, sub]) =>
          [
            key,
            field(key, sub as Schema, `${pointer}/${escapePointerSegment(key)}`, req.has(key)),
          ] as const,
      );
    const help = hint(s);
    const body: Child[] = [help.el, children.map(([, f]) => f.el)];
    const el = root
      ? h('div', { class: 'form-fields' }, body)
      : h(
          'fieldset',
          { class: 'field field-object', 'aria-describedby': help.id },
          h('legend', {}, labelText(name, s, required)),
          body,
        );
    el.append(errorSlot(pointer, null, [], root ? '' : titleOf(name, s)));
    if (root) conditional(s, children, el);
    return {
      el,
      read() {
        const out: Record<string, unknown> = {};
        for (const [key, f] of children) {
          // A field the current choice does not ask for is not sent.
          if (f.el.hidden) continue;
          const v = f.read();
          if (v !== undefined) out[key] = v;
        }
        return root || required || Object.keys(out).length > 0 ? out : undefined;
      },
    };
  }

  function inputField(
    name: string,
    s: Schema,
    pointer: string,
    required: boolean,
    type: string,
  ): Field {
    const id = nextId();
    const help = hint(s);
    const format = s.format;
    const inputType =
      type !== 'string'
        ? 'number'
        : format === 'date'
          ? 'date'
          : format === 'date-time'
            ? 'datetime-local'
            : 'text';
    // Only fields meant for prose get a text area; ids, names and short answers stay one line.
    // The engine's default bound says nothing about the field, only a config's own bound does.
    const long =
      type === 'string' &&
      inputType === 'text' &&
      typeof s.maxLength === 'number' &&
      s.maxLength > 200 &&
      s.maxLength !== FormLimits.textLength;
    const input = long
      ? h('textarea', { id, name: pointer, rows: 2, 'aria-describedby': help.id })
      : h('input', {
          id,
          name: pointer,
          type: inputType,
          step: type === 'integer' ? 1 : type === 'number' ? 'any' : undefined,
          'aria-describedby': help.id,
        });
    if (required) input.setAttribute('aria-required', 'true');
    const el = h(
      'div',
      { class: 'field' },
      h('label', { for: id }, labelText(name, s, required)),
      help.el,
      input,
    );
    el.append(errorSlot(pointer, input, [input], titleOf(name, s)));
    return {
      el,
      read() {
        const raw = input.value.trim();
        if (raw === '') return undefined;
        if (type === 'string')
          return inputType === 'datetime-local' ? new Date(raw).toISOString() : raw;
        const n = Number(raw);
        return Number.isFinite(n) ? n : raw;
      },
    };
  }

  function enumField(name: string, s: Schema, pointer: string, required: boolean): Field {
    const id = nextId();
    const help = hint(s);
    const values = s.enum as unknown[];
    const select = h(
      'select',
      { id, name: pointer, 'aria-describedby': help.id },
      h('option', { value: '' }, '— velg —'),
      values.map((v, i) => h('option', { value: String(i) }, choiceLabel(v))),
    );
    if (required) select.setAttribute('aria-required', 'true');
    const el = h(
      'div',
      { class: 'field' },
      h('label', { for: id }, labelText(name, s, required)),
      help.el,
      select,
    );
    el.append(errorSlot(pointer, select, [select], titleOf(name, s)));
    return { el, read: () => (select.value === '' ? undefined : values[Number(select.value)]) };
  }

  function booleanField(name: string, s: Schema, pointer: string): Field {
    const id = nextId();
    const help = hint(s);
    const box = h('input', { id, name: pointer, type: 'checkbox', 'aria-describedby': help.id });
    const el = h(
      'div',
      { class: 'field field-check' },
      box,
      h('label', { for: id }, labelText(name, s, false)),
      help.el,
    );
    el.append(errorSlot(pointer, box, [box], titleOf(name, s)));
    return { el, read: () => box.checked };
  }

  function arrayField(name: string, s: Schema, pointer: string, required: boolean): Field {
    const items = s.items as Schema;
    const help = hint(s);
    const legend = h('legend', {}, labelText(name, s, required));
    if (Array.isArray(items.enum)) {
      const boxes = (items.enum as unknown[]).map((v) => {
        const id = nextId();
        const box = h('input', { id, type: 'checkbox' });
        return {
          v,
          box,
          el: h('div', { class: 'field-check' }, box, h('label', { for: id }, choiceLabel(v))),
        };
      });
      const el = h(
        'fieldset',
        { class: 'field field-array' },
        legend,
        help.el,
        boxes.map((b) => b.el),
      );
      el.append(
        errorSlot(
          pointer,
          boxes[0]?.box ?? null,
          boxes.map((b) => b.box),
          titleOf(name, s),
        ),
      );
      return { el, read: () => boxes.filter((b) => b.box.checked).map((b) => b.v) };
    }
    const list = h('ol', { class: 'array-items' });
    const rows: Array<{ li: HTMLElement; f: Field }> = [];
    const itemTitle = typeof items.title === 'string' ? items.title : 'Element';
    const renumber = () =>
      rows.forEach((r, i) => {
        r.li.querySelector('.array-item-title')!.textContent = `${itemTitle} ${i + 1}`;
      });
    const add = () => {
      const index = rows.length;
      const f = field(
        itemTitle,
        { ...items, title: `${itemTitle} ${index + 1}` },
        `${pointer}/${index}`,
        true,
      );
      const li: HTMLElement = h('li', { class: 'array-item' });
      const remove = h(
        'button',
        { type: 'button', class: 'secondary small' },
        `Fjern ${itemTitle.toLowerCase()} ${index + 1}`,
      );
      remove.addEventListener('click', () => {
        rows.splice(
          rows.findIndex((r) => r.li === li),
          1,
        );
        li.remove();
        renumber();
      });
      li.append(
        h('span', { class: 'array-item-title visually-hidden' }, `${itemTitle} ${index + 1}`),
        f.el,
        remove,
      );
      rows.push({ li, f });
      list.append(li);
      (f.el.querySelector('input, select, textarea') as HTMLElement | null)?.focus();
    };
    const addButton = h(
      'button',
      { type: 'button', class: 'secondary small', onclick: add },
      `+ Legg til ${itemTitle.toLowerCase()}`,
    );
    const el = h('fieldset', { class: 'field field-array' }, legend, help.el, list, addButton);
    el.append(errorSlot(pointer, addButton, [], titleOf(name, s)));
    return {
      el,
      read() {
        const values = rows.map((r) => r.f.read()).filter((v) => v !== undefined);
        return values.length > 0 || required ? values : undefined;
      },
    };
  }

  /** Schemas beyond what a form can express well (oneOf, free objects) are typed as JSON. */
  function jsonField(name: string, s: Schema, pointer: string, required: boolean): Field {
    const id = nextId();
    const area = h('textarea', { id, name: pointer, rows: 3, class: 'mono' });
    const el = h(
      'div',
      { class: 'field' },
      h('label', { for: id }, labelText(name, s, required), ' (JSON)'),
      area,
    );
    el.append(errorSlot(pointer, area, [area], titleOf(name, s)));
    return {
      el,
      read() {
        if (area.value.trim() === '') return undefined;
        try {
          return JSON.parse(area.value);
        } catch {
          return area.value;
        }
      },
    };
  }

  /**
   * Shows the fields a choice asks for while it is made, and marks those it requires. A condition
   * holds only when its property has the value: a choice not yet made asks for nothing.
   */
  function conditional(
    s: Schema,
    children: ReadonlyArray<readonly [string, Field]>,
    container: HTMLElement,
  ): void {
    const conditions = conditionsOf(s);
    if (conditions.length === 0) return;
    const always = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    const byKey = new Map(children);
    const governed = [...new Set(conditions.flatMap((c) => c.shows))].filter(
      (k) => !always.has(k) && byKey.has(k),
    );
    const marks = new Map<string, HTMLElement>();
    for (const key of governed) {
      const label = byKey.get(key)!.el.querySelector('label, legend');
      const mark = h('span', { class: 'required', hidden: true }, ' (må fylles ut)');
      label?.append(mark);
      marks.set(key, mark);
    }
    const apply = () => {
      const holding = conditions.filter((c) =>
        Object.entries(c.when).every(([k, v]) => byKey.get(k)?.read() === v),
      );
      for (const key of governed) {
        const f = byKey.get(key)!;
        f.el.hidden = !holding.some((c) => c.shows.includes(key));
        const required = holding.some((c) => c.required.includes(key));
        marks.get(key)!.hidden = !required;
        for (const input of f.el.querySelectorAll('input, select, textarea'))
          if (required) input.setAttribute('aria-required', 'true');
          else input.removeAttribute('aria-required');
      }
    };
    apply();
    // Every field's change bubbles up to the fields' container.
    container.addEventListener('change', apply);
    container.addEventListener('input', apply);
  }

  const root = isSchema(schema.properties) ? objectField('', schema, '', true, true) : null;
  const formError = h('div', { class: 'form-error', role: 'alert', tabindex: -1, hidden: true });
  const submit = h('button', { type: 'submit' }, opts.submitLabel);
  const element = h(
    'form',
    { class: 'event-form', novalidate: true },
    root?.el,
    formError,
    h('div', { class: 'form-actions' }, submit),
  );

  const form: SchemaForm = {
    element,
    value: () => (root ? root.read() : {}),
    clearErrors() {
      formError.hidden = true;
      formError.replaceChildren();
      for (const slot of slots.values()) {
        slot.errorEl.hidden = true;
        slot.errorEl.replaceChildren();
        slot.inputs.forEach((i) => i.removeAttribute('aria-invalid'));
      }
    },
    showErrors(details, formMessage) {
      form.clearErrors();
      const unplaced: string[] = [];
      let first: HTMLElement | null = null;
      for (const d of details) {
        const slot = slotFor(d);
        // A field the current choice hides cannot show its own error: it goes above the button.
        if (
          !slot ||
          (slot === slots.get('') && !root) ||
          slot.errorEl.parentElement?.closest('[hidden]')
        ) {
          unplaced.push(slot?.title ? `${slot.title}: ${d.message}` : d.message);
          continue;
        }
        slot.errorEl.hidden = false;
        slot.errorEl.append(
          h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠ '),
          slot.title ? `${slot.title}: ${choicesInWords(d.message)}` : choicesInWords(d.message),
          ' ',
        );
        slot.inputs.forEach((i) => i.setAttribute('aria-invalid', 'true'));
        first ??= slot.focusEl ?? slot.errorEl;
      }
      if (formMessage || unplaced.length > 0) {
        formError.hidden = false;
        formError.append(h('strong', {}, '⚠ ', formMessage ?? 'Skjemaet ble avvist.'));
        if (unplaced.length > 0)
          formError.append(
            h(
              'ul',
              {},
              unplaced.map((m) => h('li', {}, m)),
            ),
          );
      }
      (first ?? formError).focus();
    },
    setBusy(busy) {
      submit.disabled = busy;
      submit.textContent = busy ? 'Sender …' : opts.submitLabel;
    },
  };

  /** The field a detail points at, else the nearest enclosing one (a missing required property names its parent). */
  function slotFor(d: ErrorDetail): Slot | undefined {
    const missing = /required property '([^']+)'/.exec(d.message)?.[1];
    if (missing && slots.has(`${d.path}/${escapePointerSegment(missing)}`))
      return slots.get(`${d.path}/${escapePointerSegment(missing)}`);
    for (let p = d.path; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (slots.has(p)) return slots.get(p);
      if (p === '') return undefined;
    }
  }

  element.addEventListener('submit', (e) => {
    e.preventDefault();
    opts.onSubmit(form);
  });
  return form;
}
