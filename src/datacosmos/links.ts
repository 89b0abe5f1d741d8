/** The path (with its query) of a STAC `rel: "next"` link, relative to the API, or null when there is none. */
export function nextLinkPath(links: ReadonlyArray<{ rel: string; href: string }>, apiUrl: string): string | null {
  const next = links.find((link) => link.rel === 'next');
  if (!next) return null;
  const url = new URL(next.href, apiUrl);
  return `${url.pathname}${url.search}`;
}
