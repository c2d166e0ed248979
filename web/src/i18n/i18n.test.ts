// Every text in both languages: the same keys in every namespace, no empty text, the same
// placeholders, and Chinese that is Chinese rather than English copied over.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, NAMESPACES, resources, supported } from '.';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** `a.b.c` → text, for a nested catalog. */
function flatten(catalog: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** Keys without their plural endings: English has `_one`/`_other`, Chinese only `_other`. */
function base(keys: Iterable<string>): Set<string> {
  return new Set([...keys].map((k) => k.replace(PLURAL, '')));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)[^}]*\}\}|<(\w+)>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort();
}

const CJK = /[\u3400-\u9fff]/;

describe('catalogs', () => {
  it('has every namespace in every language', () => {
    for (const { code } of LANGUAGES) {
      expect(Object.keys(resources[code] ?? {}).sort()).toEqual([...NAMESPACES].sort());
    }
  });

  for (const ns of NAMESPACES) {
    it(`${ns}: the same texts in English and Chinese`, () => {
      const en = flatten(resources.en?.[ns]);
      const zh = flatten(resources['zh-CN']?.[ns]);
      const missing = [...base(en.keys())].filter((k) => !base(zh.keys()).has(k));
      const extra = [...base(zh.keys())].filter((k) => !base(en.keys()).has(k));
      expect({ missingInChinese: missing, missingInEnglish: extra }).toEqual({
        missingInChinese: [],
        missingInEnglish: [],
      });
      for (const [key, text] of en) {
        expect(text.trim(), `en ${ns}:${key}`).not.toBe('');
        if (key.endsWith('_one')) {
          expect(en.has(key.replace(/_one$/, '_other')), `en ${ns}:${key} has _other`).toBe(true);
        }
        const other = zh.get(key) ?? zh.get(key.replace(PLURAL, '_other')) ?? zh.get(key.replace(PLURAL, ''));
        expect(other, `zh-CN ${ns}:${key}`).toBeDefined();
        expect(other!.trim(), `zh-CN ${ns}:${key}`).not.toBe('');
        expect(placeholders(other!), `placeholders of ${ns}:${key}`).toEqual(placeholders(text));
        // Two English words or more must read as Chinese (names like "SAML" may stay).
        const words = text.replace(/\{\{[^}]*\}\}|<[^>]*>/g, '').match(/[A-Za-z]{2,}/g) ?? [];
        if (words.length >= 2) expect(other, `zh-CN ${ns}:${key} is translated`).toMatch(CJK);
      }
    });
  }

  it('reads the languages browsers send', () => {
    expect(supported('zh')).toBe('zh-CN');
    expect(supported('zh-TW')).toBe('zh-CN');
    expect(supported('en-GB')).toBe('en');
    expect(supported('fr')).toBeUndefined();
  });
});
