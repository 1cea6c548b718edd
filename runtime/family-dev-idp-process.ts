/**
 * Starts the families' development identity provider (family-dev-idp.ts) as a child process
 * and waits for its issuer URL. Its stdin is a pipe from this process, so it ends with us.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface FamilyDevIdp {
  issuer: string;
  stop(): Promise<void>;
}

export async function startFamilyDevIdp(port = 0): Promise<FamilyDevIdp> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'family-dev-idp.ts'), String(port)],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: join(__dirname, '..') },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => reject(new Error('family dev provider: no answer in 30 s')),
      30_000,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { issuer: string }).issuer);
      } catch {
        reject(new Error(`family dev provider: unexpected output: ${line.slice(0, 200)}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`family dev provider exited (${code}): ${stderr}`));
    });
  });
  return {
    issuer,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
