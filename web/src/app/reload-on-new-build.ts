/** What the handler needs of the browser window (a stand-in in the unit test). */
export interface BuildWindow {
  addEventListener(type: 'vite:preloadError', listener: (event: Event) => void): void;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
  location: Pick<Location, 'reload'>;
}

const LAST_RELOAD = 'throughline.reloaded-for-new-build';
/** At most one reload a minute: a chunk missing from the new build too must not reload forever. */
const RELOAD_GAP_MS = 60_000;

/**
 * A tab opened before the server's web app was rebuilt asks for the old build's chunks (a
 * dialog, a page), which the new build no longer has: the import fails and the app would go
 * blank. Vite reports it as `vite:preloadError`; the tab then loads the new build instead.
 */
export function reloadOnNewBuild(win: BuildWindow, now: () => number = Date.now): void {
  win.addEventListener('vite:preloadError', (event) => {
    const last = Number(win.sessionStorage.getItem(LAST_RELOAD) ?? 0);
    if (now() - last < RELOAD_GAP_MS) return;
    event.preventDefault();
    win.sessionStorage.setItem(LAST_RELOAD, String(now()));
    win.location.reload();
  });
}
