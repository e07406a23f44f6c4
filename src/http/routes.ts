/**
 * Path patterns and request targets. A pattern is `/`-separated segments: literal text, `:name`
 * (one non-empty segment) or, last only, `*name` (the rest of the path, one or more segments
 * joined by `/`). Request paths are split on the `/` actually sent and each segment decoded after,
 * so an id holding an encoded slash (`a%2Fb`) stays one segment.
 */
import { HttpError } from './errors.ts';

type Part = { literal: string } | { param: string } | { rest: string };

export interface RoutePattern {
  readonly source: string;
  /** The params when `segments` (decoded) match, else undefined. */
  match(segments: readonly string[]): Record<string, string> | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `compilePattern('/api/instructions/:id').match(['api', 'instructions', 'i-1'])` -> `{ id: 'i-1' }`.
 * Throws, saying what to fix, for a pattern that could never be meant.
 */
export function compilePattern(source: string): RoutePattern {
  if (!source.startsWith('/')) throw new Error(`route pattern '${source}' must start with '/'`);
  const parts: Part[] = source.slice(1).split('/').map((s, i, all) => {
    if (s.startsWith(':') || s.startsWith('*')) {
      const name = s.slice(1);
      if (!NAME.test(name)) throw new Error(`route pattern '${source}': '${s}' needs a name of letters, digits and _, e.g. '${s[0]}id'`);
      if (s[0] === '*' && i !== all.length - 1) throw new Error(`route pattern '${source}': '${s}' takes the rest of the path, so it must be the last segment`);
      return s[0] === ':' ? { param: name } : { rest: name };
    }
    return { literal: s };
  });
  const names = parts.flatMap((p) => ('literal' in p ? [] : ['param' in p ? p.param : p.rest]));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`route pattern '${source}' names the parameter '${twice}' twice`);

  return {
    source,
    match(segments) {
      const params: Record<string, string> = {};
      for (const [i, part] of parts.entries()) {
        if ('rest' in part) {
          if (segments.length <= i) return undefined;
          params[part.rest] = segments.slice(i).join('/');
          return params;
        }
        const seg = segments[i];
        if (seg === undefined) return undefined;
        if ('literal' in part) {
          if (seg !== part.literal) return undefined;
        } else {
          if (seg === '') return undefined;
          params[part.param] = seg;
        }
      }
      return segments.length === parts.length ? params : undefined;
    },
  };
}

export interface RequestTarget {
  /** The path as sent, without the query string. */
  rawPath: string;
  /** The decoded segments (after the leading `/`). */
  segments: string[];
  /** The segments joined again: the decoded path. */
  path: string;
}

/**
 * Split a request URL into decoded path segments; `strict: false` ignores trailing slashes.
 * A segment that is not valid percent-encoding is the client's 400.
 */
export function parseTarget(url: string, strict: boolean): RequestTarget {
  const rawPath = url.split(/[?#]/, 1)[0] ?? '';
  const trimmed = strict ? rawPath : rawPath.replace(/\/+$/, '') || '/';
  try {
    const segments = trimmed.replace(/^\//, '').split('/').map(decodeURIComponent);
    return { rawPath, segments, path: `/${segments.join('/')}` };
  } catch {
    throw new HttpError(400, `malformed URL path '${rawPath}'`, { code: 'invalid_url' });
  }
}
