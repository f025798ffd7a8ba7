import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, type ClinicBridge, type ClinicEvent } from './bridge';

const bridge: ClinicBridge = {
  call: (method, input) => ipcRenderer.invoke(IPC_CALL, method, input),
  on: (event, listener) => {
    const handler = (_e: IpcRendererEvent, message: ClinicEvent) => {
      if (message.event === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('clinic', bridge);
