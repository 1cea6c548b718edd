// The file piscina loads in each worker thread. A thread shares none of its parent's ways of
// loading TypeScript (jest's swc, `npm start`'s `--import tsx`), so the pool hands it the tasks
// already bundled from source by esbuild (`workerData.code`, see cpu-pool.ts), compiled here as
// if it were cpu-tasks.js beside this file: one script instead of 400 modules through tsx, and
// no build step or built file that could go stale.
'use strict';
const Module = require('node:module');
const { join } = require('node:path');
const { workerData } = require('node:worker_threads');

const filename = join(__dirname, 'cpu-tasks.js');
const tasks = new Module(filename, module);
tasks.filename = filename;
tasks.paths = Module._nodeModulePaths(__dirname);
tasks._compile(workerData.code, filename);
module.exports = tasks.exports;
