import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import type { DownloadOptions } from 'builder-util-runtime';
import type { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor.js';
import { builderUtilRuntime } from './builder-modules';

const { HttpExecutor, configureRequestOptions, configureRequestUrl } = builderUtilRuntime;

/**
 * An HTTP executor for electron-updater on plain Node, so electron-updater's own provider,
 * download and differential-download code runs under Vitest (its ElectronHttpExecutor needs
 * Electron's `net` module).
 *
 * A builder-util-runtime HttpExecutor subclass, as electron-builder's own NodeHttpExecutor
 * (builder-util) is: `createRequest` uses Node's http/https. Everything else is the base class,
 * unchanged: `request` (channel files), `downloadToBuffer` (block maps), `doDownload` (follows
 * redirects by Location and streams a download through DigestTransform, which rejects a wrong
 * sha512). `download` is ElectronHttpExecutor's, line for line: the method electron-updater's
 * updaters call to fetch an installer.
 */
export class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  /** Every request made, for tests to look at. */
  readonly requests: { method: string; path: string; range: string | null }[] = [];

  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    const headers = (options.headers ?? {}) as Record<string, unknown>;
    const range = headers.Range ?? headers.range;
    this.requests.push({ method: options.method ?? 'GET', path: options.path ?? '/', range: typeof range === 'string' ? range : null });
    // No keep-alive: builder-util-runtime adds a timeout listener to the socket of every request,
    // which piles up on a reused socket (Electron's net has no such socket).
    return (options.protocol === 'https:' ? https.request : http.request)({ agent: false, ...options }, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }

  /**
   * electron-updater types its providers' executor as ElectronHttpExecutor but uses only what
   * HttpExecutor has plus `download`, which this class has too.
   */
  asUpdaterExecutor(): ElectronHttpExecutor {
    return this as unknown as ElectronHttpExecutor;
  }
}
