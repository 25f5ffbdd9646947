import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Only lib/local (and the tests) may import the local runtime. */
const localRuntime = {
  regex: '^(#lib/local/|(\\.\\./)+(lib/)?local/)',
  message: 'functions/ and lib/ (except lib/local) never import the local runtime.',
};

/** The use cases and the HTTP layer never build their ports. */
const storeAndRuntime = {
  regex: '^(#lib/(store|runtime)/|(\\.\\./)+(store|runtime)/)',
  message: 'Use cases and the HTTP layer get their ports as Deps; only the composition root (lib/runtime) builds lib/store.',
};

/**
 * The use-case modules of lib/app and the duties' work: within lib/app only the duties'
 * work (lib/app/duty-work.ts) imports use cases, those whose work a duty does.
 */
const useCases = {
  regex:
    '^(\\./|#lib/app/)(actions|audit-trail|contractors|disposals|duty-work|evidence|findings|inspections|me|plans|reports|tasks)\\.js$',
  message:
    'No sideways use-case imports (only lib/app/duty-work.ts may): what use cases share is a building block of lib/app (changes, visibility, task-changes, evidence-links, …) or a rule of lib/domain.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'dist/', 'coverage/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [localRuntime],
        },
      ],
    },
  },
  {
    files: ['lib/app/**/*.ts', 'lib/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [localRuntime, storeAndRuntime],
        },
      ],
    },
  },
  {
    // A function's handler is given its own routes (lib/http/routes/<function>.ts): a value
    // import of the joined table would put every function's routes in every bundle.
    files: ['lib/http/**/*.ts'],
    ignores: ['lib/http/routes.ts', 'lib/http/openapi.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^((\\.{1,2}/)+|#lib/http/)routes\\.js$',
              allowTypeImports: true,
              message: "The HTTP path imports its function's own routes (lib/http/routes/<function>.ts); the joined table only as types.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/app/**/*.ts'],
    ignores: ['lib/app/duty-work.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [localRuntime, storeAndRuntime, useCases] }] },
  },
  {
    files: ['lib/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        // and the 祝日 (@holiday-jp/holiday_jp's table module: data, no I/O) that deadlines move off, and
        // csv-parse's synchronous parser (a string in, rows out) for the register's CSV.
        {
          patterns: [
            {
              regex: '^(?!zod($|/)|@holiday-jp/holiday_jp/lib/holidays\\.js$|csv-parse/sync$|\\./|#lib/domain/)',
              message: 'lib/domain imports only itself, zod, the 祝日 data and the CSV parser.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}', 'test/web/**/*.ts'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'navigator',
          'location',
          'history',
          'sessionStorage',
          'localStorage',
          'fetch',
          'crypto',
          'XMLHttpRequest',
          'FormData',
          'URL',
          'URLSearchParams',
          'Blob',
          'File',
          'FileReader',
          'HTMLElement',
          'HTMLInputElement',
          'Event',
          'AbortController',
          'setTimeout',
          'clearTimeout',
          'console',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^#(?!lib/domain/|lib/profiles/types\\.js$|lib/app/scope-owners\\.js$|lib/web-config\\.js$)',
              message:
                'The SPA imports only pure code from the backend: lib/domain, the profile types, scope owners and the config.json type (no server code in the bundle).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/local/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
