import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** A single-page build the api serves on its own port; every route falls back to index.html. */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ fallback: 'index.html', strict: false }),
    // The content-security policy, written once: SvelteKit hashes its inline start-up script
    // into a <meta> of the built page, and the api and the shipped nginx send the same
    // policy as a header (with frame-ancestors, which a <meta> cannot carry).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte sets style attributes (countdown bars, transitions); no inline <style> from users.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        // The api and its Socket.IO on the same origin ('self' covers ws: and wss: to it).
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
    alias: {
      '@dispatch/domain': '../../libs/domain/src/index.ts',
    },
  },
};
