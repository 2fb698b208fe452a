/**
 * The desktop shell (Electron main process). Thin: it makes a locked-down window and forwards IPC calls to the
 * same dispatcher the HTTP bridge uses. Follows Electron's security checklist: context isolation, sandbox, no
 * Node in the renderer, a strict CSP, no navigation, no new windows, no webviews, no permissions, validated senders.
 */
import { app, BrowserWindow, ipcMain, safeStorage, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createWorkstation, type Workstation } from '../../services/workstation.js';
import { useNativeBinding } from '../../store/sqlcipher.js';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../csp.js';
import { chooseKeyProtector } from './safe-storage-protector.js';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(here, '../renderer/index.html');
const CALL_CHANNEL = 'workstation:call';
const isDev = devServerUrl !== undefined && !app.isPackaged;
const csp = isDev ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;

// The native SQLite module built for Electron's ABI lives apart from the Node build the tests use.
const electronNative = join(app.getAppPath(), '.electron-native/node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node');
if (existsSync(electronNative)) useNativeBinding(electronNative);

app.enableSandbox();
process.umask(0o077); // databases and their -wal files: owner only
let workstation: Workstation | null = null;

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  if (isDev) return new URL(url).origin === new URL(devServerUrl!).origin;
  return url.split('#')[0] === pathToFileURL(rendererFile).href;
}

function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function createWindow(ws: Workstation): void {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: '救助审计工作站',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  const clientId = `electron:${win.webContents.id}`;
  win.webContents.on('destroyed', () => ws.disconnect(clientId));
  win.once('ready-to-show', () => win.show());
  if (isDev) void win.loadURL(devServerUrl!);
  else void win.loadFile(rendererFile);
}

app.on('web-contents-created', (_event, contents) => lockDown(contents));

app.whenReady().then(() => {
  // No camera, microphone, notifications, geolocation… for anything.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // Nothing may leave the machine: only our own pages load.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const url = details.url;
    const allowed = url.startsWith('file://') || url.startsWith('devtools://') || (isDev && url.startsWith(new URL(devServerUrl!).origin));
    callback({ cancel: !allowed });
  });

  workstation = createWorkstation({
    dataDir: app.getPath('userData'),
    transport: 'electron',
    protector: chooseKeyProtector(safeStorage, process.platform),
    onInternalError: (name) => console.error(`internal error in ${name}`),
  });
  const ws = workstation;
  ipcMain.handle(CALL_CHANNEL, (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'UNKNOWN_CALL', message: 'untrusted sender' } };
    return ws.dispatch(`electron:${event.sender.id}`, name, input);
  });
  createWindow(ws);
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow(ws));
});

app.on('window-all-closed', () => {
  workstation?.close();
  workstation = null;
  app.quit();
});
