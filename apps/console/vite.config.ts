import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In `nx serve console`, the api runs on 3000 and vite proxies to it.
const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    fs: { allow: ['../../libs'] },
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
