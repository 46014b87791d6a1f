// @ts-check
import tseslint from "typescript-eslint";

/**
 * Package-root provider imports load every resource class: ~10 s and ~1.4 GB per synth. The
 * same holds for the provider packages of cdktn, cdktf's maintained fork (@cdktn/provider-*).
 */
const deepProviderImports = {
  regex: "^@cdkt[fn]/provider-[a-z0-9-]+/?$",
  message: "Import provider classes by deep path, e.g. @cdktf/provider-aws/lib/ecr-repository: the package root costs ~10 s and ~1.4 GB per synth.",
};

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "catalog/", ".gen/", "coverage/"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [deepProviderImports] }],
      "@typescript-eslint/no-non-null-assertion": "off",
      // cdktf zips an archive asset by running its own module as a script, which the one-file
      // synth build cannot do (scripts/build-synth.mjs).
      "no-restricted-syntax": ["error", { selector: "MemberExpression[object.name='AssetType'][property.name='ARCHIVE']", message: "Zip the folder with lib/zip.ts and use AssetType.FILE: the synth build cannot run cdktf's archive step." }],
    },
  },
  // Data flows one way: config -> lib (validation) -> constructs/stacks -> main.ts. lib/'s rooms
  // (lib/config/, lib/plan/, ...) sit one level deeper, so the organization's config/ folder is
  // one more "../" away from them.
  ...[["lib/*.ts", "../config"], ["lib/*/**/*.ts", "../../config"]].map(([files, configDir]) => ({
    files: [files],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [deepProviderImports,
          { group: ["cdktf", "cdktn", "constructs", "@cdktf/*", "@cdktn/*"], message: "lib/ holds pure config logic; it must not depend on cdktf or cdktn." },
          { group: [`${configDir}/*`, configDir], message: "lib/ must not import config files; they are loaded by main.ts." }],
      }],
    },
  })),
  {
    files: ["constructs/**/*.ts", "stacks/**/*.ts", "charts/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [deepProviderImports,
          { group: ["../config/*", "../config"], message: "Constructs and stacks receive the validated model; they never import config files." }],
      }],
    },
  },
  {
    // CommonJS files (the synth build's entry, scripts/run-bundle.cjs) load modules with require().
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests, guardrails and the rehearsal read synthesized JSON, which has no static type.
    files: ["test/**/*.ts", "guardrails/**/*.ts", "stacks/platform-stack.ts", "lib/rehearsal/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
