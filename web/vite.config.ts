import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The server serves the build at /console/ (config `console_dir`, default web/dist).
// `npm run dev` proxies the API to a server on :8080.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  server: {
    proxy: {
      '/graphql': 'http://localhost:8080',
      '/auth': 'http://localhost:8080',
      '/saml': 'http://localhost:8080',
      '/sso': 'http://localhost:8080',
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
