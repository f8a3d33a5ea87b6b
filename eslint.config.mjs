// ESLint for the theme's browser code, run by tests/test_frontend_lint.py (and `npx eslint .`).
import js from "@eslint/js";
import globals from "globals";

export default [
  // Not ours: the virtualenv's packages, built sites (which copy the theme's scripts and add
  // the generated search index) and their leftovers.
  { ignores: [".venv/", "output/", "output.*/", "cache/", ".search-refresh-*/"] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: "error",
    },
  },
  {
    files: ["theme/static/js/**/*.js", "archive/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      // Classic scripts, not modules: browsers refuse modules on pages opened from disk.
      sourceType: "script",
      globals: globals.browser,
    },
  },
  {
    // The tests' Node scripts (tests/stemmers.mjs runs the stemmers outside a browser).
    files: ["tests/**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
];
