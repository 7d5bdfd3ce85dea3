// A client-rendered console: live data comes over the socket, nothing to prerender.
export const ssr = false;
export const prerender = false;
