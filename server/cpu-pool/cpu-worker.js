// The file piscina loads in each worker thread. A thread shares none of its parent's ways of
// loading TypeScript: jest compiles through its own module system (swc) that a thread never
// sees, and `npm start`'s `--import tsx` reaches a thread only through inherited flags. So this
// one plain JavaScript file registers tsx (a dependency, so present on a fresh clone) for its
// own requires and loads the tasks from source: the same code under `npm start`, jest and
// any other runner, with no build step and no built files to go stale.
'use strict';
const { readlinkSync } = require('node:fs');
const { setPriority } = require('node:os');
const { register } = require('tsx/cjs/api');

// The lowest CPU priority for this thread only, so that on a busy machine the event loop gets a
// core before a layout does. Linux takes a thread's id where setpriority wants a process id;
// elsewhere the thread keeps the process's priority.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
} catch {
  // no /proc/thread-self: not Linux
}

module.exports = register({ namespace: 'sluse-cpu-pool' }).require('./cpu-tasks.ts', __filename);
