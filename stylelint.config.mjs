// Stylelint for the theme's CSS, run by tests/test_frontend_lint.py (and `npx stylelint
// "theme/**/*.css"`). The standard rules, relaxed only where the CSS means to differ.
export default {
  extends: ["stylelint-config-standard"],
  ignoreFiles: [".venv/**", "output/**", "output.*/**", "cache/**", ".search-refresh-*/**"],
  rules: {
    // Class names are BEM: block, block__element, block--modifier (search__result, term--empty).
    "selector-class-pattern": [
      "^[a-z][a-z0-9]*(-[a-z0-9]+)*(__[a-z0-9]+(-[a-z0-9]+)*)?(--[a-z0-9]+(-[a-z0-9]+)*)?$",
      { message: (selector) => `Expected class selector "${selector}" to be BEM (block__element--modifier)` },
    ],
    // Short rules are written on one line, so a component's rules read as one block.
    "declaration-block-single-line-max-declarations": null,
    // Font families are proper names (Charter, Georgia); the font stacks live in custom
    // properties, where stylelint cannot tell a family name from a keyword.
    "value-keyword-case": ["lower", { ignoreProperties: ["--serif", "--sans"] }],
    // Safari (and iOS) still need the prefix to keep text from growing on rotation.
    "property-no-vendor-prefix": [true, { ignoreProperties: ["-webkit-text-size-adjust"] }],
    // (max-width: …) rather than (width <= …): range syntax is ignored by Safari before 16.4,
    // which would lose the narrow-screen layout.
    "media-feature-range-notation": "prefix",
  },
};
