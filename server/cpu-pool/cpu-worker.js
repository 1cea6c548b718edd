// The file piscina loads in each worker thread. A thread shares none of its parent's ways of
// loading TypeScript: jest compiles through its own module system (swc) that a thread never
// sees, and `npm start`'s `--import tsx` reaches a thread only through inherited flags. So this
// one plain JavaScript file registers tsx (a dependency, so present on a fresh clone) for its
// own requires and loads the tasks from source: the same code under `npm start`, jest and
// any other runner, with no build step and no built files to go stale.
'use strict';
const { register } = require('tsx/cjs/api');

module.exports = register({ namespace: 'sluse-cpu-pool' }).require('./cpu-tasks.ts', __filename);
