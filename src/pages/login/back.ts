/** The page to return to: an app page path with a plain query, else home. */
export function backPage(raw: string | undefined): string {
  let url = raw ?? '';
  // H5 may hand the parameter over still encoded.
  if (url.startsWith('%')) {
    try {
      url = decodeURIComponent(url);
    } catch {
      url = '';
    }
  }
  return /^\/pages(-[a-z]+)?\/[a-z-]+\/index(\?[\w.=&-]*)?$/.test(url) ? url : '/pages/index/index';
}
