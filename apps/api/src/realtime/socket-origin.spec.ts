import { describe, expect, it } from 'vitest';
import { allowedOrigins, originAllowed } from './socket-origin';

describe('which pages may open a socket', () => {
  const listed = allowedOrigins(' https://wall.example.com/ ,https://Tablets.example.com');

  it('reads CORS_ORIGINS without spaces, trailing slashes or case', () => {
    expect(listed).toEqual(['https://wall.example.com', 'https://tablets.example.com']);
    expect(allowedOrigins(undefined)).toEqual([]);
    expect(allowedOrigins(' , ')).toEqual([]);
  });

  it('lets the console open one from its own origin, port included', () => {
    expect(originAllowed('http://localhost:3000', 'localhost:3000', [])).toBe(true);
    expect(originAllowed('http://localhost:4000', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('https://console.example.com', 'console.example.com', [])).toBe(true);
  });

  it('lets a listed origin in and refuses any other site', () => {
    expect(originAllowed('https://wall.example.com', 'api.example.com', listed)).toBe(true);
    expect(originAllowed('https://tablets.example.com', 'api.example.com', listed)).toBe(true);
    expect(originAllowed('https://evil.example.net', 'api.example.com', listed)).toBe(false);
    expect(originAllowed('https://wall.example.com.evil.net', 'api.example.com', listed)).toBe(false);
  });

  it('refuses what is not an origin at all, including the "null" of sandboxed pages', () => {
    expect(originAllowed('null', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('localhost:3000', 'localhost:3000', [])).toBe(false);
  });

  it('lets a client that is not a browser (no Origin) through to sign in with its token', () => {
    expect(originAllowed(undefined, 'localhost:3000', [])).toBe(true);
  });
});
