import { useEffect, useState } from 'preact/hooks';

/** The current view and its selection, kept in the URL hash so links are shareable and work from file://. */
export interface Route {
  view: string;
  params: Record<string, string>;
}

export const VIEWS = ['explorer', 'failures', 'signatures', 'compare', 'noise', 'audit', 'run'] as const;
export type ViewName = (typeof VIEWS)[number];

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [path, query = ''] = body.split('?', 2);
  const view = (VIEWS as readonly string[]).includes(path) ? path : 'explorer';
  return { view, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function routeHash(view: string, params: Record<string, string | number | undefined>): string {
  const clean = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') clean.set(k, String(v));
  const query = clean.toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

export function navigate(view: string, params: Record<string, string | number | undefined>, replace = false): void {
  const hash = routeHash(view, params);
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
  window.dispatchEvent(new Event('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
