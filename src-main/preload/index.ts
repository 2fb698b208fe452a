/**
 * The preload bridge: exposes exactly one function to the renderer, `workstation.call(name, input)`.
 * No Electron or Node object crosses into the page; inputs are validated in the main process by the contract.
 */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('workstation', {
  call: (name: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('workstation:call', name, input),
});
