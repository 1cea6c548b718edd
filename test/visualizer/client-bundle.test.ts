/**
 * Every page loads `app.js`; what one page alone needs is split off and fetched by that page.
 * Chart.js (the statistics page) and CodeMirror (the config page's editor) are most of the
 * bytes, so neither may slip into the script every page downloads.
 */
import { buildClientBundle } from '../../server/visualizer/client-bundle';

test('when the browser code is built, then Chart.js and CodeMirror are each in a chunk of their own and not in the script every page loads', async () => {
  const { js, chunks } = await buildClientBundle();
  const scripts = [...chunks].filter(([name]) => name.endsWith('.js')).map(([, text]) => text);
  const holding = (marker: RegExp) => scripts.filter((text) => marker.test(text));
  // esbuild heads each module it bundles with its path.
  const codeMirror = /^\/\/ node_modules\/@codemirror\//m;
  const chartJs = /^\/\/ node_modules\/chart\.js\//m;
  expect([codeMirror.test(js), chartJs.test(js)]).toEqual([false, false]);
  const [editorChunk] = holding(codeMirror);
  const [chartChunk] = holding(chartJs);
  expect(holding(codeMirror)).toHaveLength(1);
  expect(holding(chartJs)).toHaveLength(1);
  expect(editorChunk).not.toBe(chartChunk);
  // The page's own script stays small beside them.
  expect(js.length).toBeLessThan(editorChunk.length / 2);
}, 60_000);
