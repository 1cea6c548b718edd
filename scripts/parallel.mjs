#!/usr/bin/env node
/**
 * Runs each argument as a shell command, all at once, and fails if any fails: `npm test`'s type
 * checks, lint and format check are each mostly one core's work, so on two cores they take the
 * time of the longest instead of their sum. Each command's output is printed whole when it ends,
 * so the logs do not interleave.
 */
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
const results = await Promise.all(
  commands.map(
    (command) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const output = [];
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
        child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
        child.on('close', (code) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          process.stdout.write(
            `> ${command} (${code === 0 ? 'ok' : `exit ${code}`}, ${seconds} s)\n`,
          );
          process.stdout.write(Buffer.concat(output));
          resolve(code === 0);
        });
      }),
  ),
);
process.exit(results.every(Boolean) ? 0 : 1);
