import { getDisplaySettings } from '../services/waiting-room';
import { createDisplayServer, type DisplayServer, type DisplayServerOptions } from './display';

export interface DisplayControlOptions extends DisplayServerOptions {
  /** Where to listen: every interface (the TV is on the clinic network) unless told otherwise. */
  host?: string;
  /** How often the settings are read again (an administrator turned the display on or off). */
  checkEveryMs?: number;
  onError?: (message: string) => void;
}

export interface DisplayControl {
  /** Starts, stops or moves the display server to match the settings now. */
  reconcile(): Promise<void>;
  /** The port it listens on, or null when off. */
  listening(): number | null;
  stop(): Promise<void>;
}

/**
 * Runs the waiting-room display server while the settings say it is on, and only then: a port on
 * the clinic network stays closed until an administrator opens it.
 */
export function controlDisplay(options: DisplayControlOptions): DisplayControl {
  const { host = '0.0.0.0', checkEveryMs = 1_000, onError = () => {} } = options;
  let running: { display: DisplayServer; port: number } | null = null;
  let busy: Promise<void> = Promise.resolve();
  let failedPort: number | null = null;

  const start = (port: number) =>
    new Promise<void>((resolve) => {
      const display = createDisplayServer(options);
      display.server.once('error', (error: NodeJS.ErrnoException) => {
        if (failedPort !== port) onError(`The waiting-room display cannot listen on port ${port}: ${error.code ?? error.message}.`);
        failedPort = port;
        void display.stop().then(resolve);
      });
      display.server.listen(port, host, () => {
        failedPort = null;
        const address = display.server.address();
        running = { display, port: typeof address === 'object' && address ? address.port : port };
        resolve();
      });
    });

  const step = async () => {
    let settings: ReturnType<typeof getDisplaySettings>;
    try {
      settings = getDisplaySettings(options.app.database.db);
    } catch {
      return; // the database is being reopened (a restore): next time
    }
    const wanted = settings.enabled ? settings.port : null;
    if (running && (wanted === null || (wanted !== 0 && running.port !== wanted))) {
      await running.display.stop();
      running = null;
    }
    if (!running && wanted !== null) await start(wanted);
  };
  const reconcile = () => (busy = busy.then(step));
  const timer = setInterval(() => void reconcile(), checkEveryMs);
  timer.unref();
  void reconcile();
  return {
    reconcile,
    listening: () => running?.port ?? null,
    stop: async () => {
      clearInterval(timer);
      await busy;
      if (running) await running.display.stop();
      running = null;
    },
  };
}
