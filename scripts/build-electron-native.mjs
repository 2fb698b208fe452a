/**
 * Builds better-sqlite3-multiple-ciphers for Electron's ABI into .electron-native/, leaving the Node build in
 * node_modules/ untouched for tests and the CLI. The Electron main process loads it via `nativeBinding`.
 * Needs the internet (Electron headers or a prebuilt binary); run by `npm start` before electron-vite.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const source = join(root, 'node_modules/better-sqlite3-multiple-ciphers');
const target = join(root, '.electron-native/node_modules/better-sqlite3-multiple-ciphers');
const stamp = join(root, '.electron-native/electron-version');
const binary = join(target, 'build/Release/better_sqlite3.node');

if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) {
  console.log(`native module for Electron ${electronVersion} is up to date`);
  process.exit(0);
}
rmSync(join(root, '.electron-native'), { recursive: true, force: true });
cpSync(source, target, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
const run = (cmd, args) => execFileSync(cmd, args, { cwd: target, stdio: 'inherit' });
try {
  run('npx', ['--yes', 'prebuild-install', '--runtime', 'electron', '--target', electronVersion]);
} catch {
  console.log('no prebuilt binary; compiling against Electron headers');
  run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']);
}
writeFileSync(stamp, electronVersion);
console.log(`built ${binary}`);
