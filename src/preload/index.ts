/**
 * The preload: one function per contract channel, and a way to hear main's events. It never
 * exposes ipcRenderer itself, so the page can call nothing but the contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channels } from '../shared/contract';

const api = Object.fromEntries(channels.map((channel) => [channel, (input: unknown) => ipcRenderer.invoke(channel, input)]));

contextBridge.exposeInMainWorld('ledgerdesk', {
  api,
  on(event: string, cb: (payload: unknown) => void) {
    const listener = (_e: IpcRendererEvent, msg: { event: string; payload: unknown }) => {
      if (msg.event === event) cb(msg.payload);
    };
    ipcRenderer.on('ledgerdesk:event', listener);
    return () => ipcRenderer.removeListener('ledgerdesk:event', listener);
  },
});
