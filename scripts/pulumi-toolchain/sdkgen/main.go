// Command sdkgen writes the Node.js, Python and Go SDKs of the managed-redis provider plugin from its
// Pulumi package schema, with Pulumi's own code generators (github.com/pulumi/pulumi/pkg/v3/codegen).
//
//	sdkgen -schema lib/provider/plugin/schema.json -out DIR [-lang nodejs,python,go]
//
// writes DIR/nodejs, DIR/python and DIR/go (each emptied first). It does what
// `pulumi package gen-sdk` does for a schema file, without a language host: bind the schema with
// validation, then call each language's GeneratePackage. The differences from upstream are listed in
// scripts/pulumi-toolchain/README.md ("SDK generator").
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
)

// tool is the name the generators write into their "do not edit" headers.
const tool = "pulumi-managed-redis sdkgen"

// defaultGoImportBasePath is used when the schema names no language.go.importBasePath.
const defaultGoImportBasePath = "github.com/pulumi-managed-redis/pulumi-managed-redis/sdk/go/managedredis"

// noReferences refuses every external package reference: the managed-redis schema refers to none.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which sdkgen cannot load", pkg)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which sdkgen cannot load", d.Name)
}

func (noReferences) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which sdkgen cannot load", pkg)
}

func (noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which sdkgen cannot load", d.Name)
}

// languageDefaults are merged into the schema's "language" section, key by key, where the schema has
// no value: every SDK carries the schema's version (so a program asks the engine for the plugin
// version the schema describes), and the Go SDK needs an import path.
var languageDefaults = map[string]map[string]any{
	"nodejs": {"respectSchemaVersion": true},
	"python": {"respectSchemaVersion": true},
	"go":     {"respectSchemaVersion": true, "importBasePath": defaultGoImportBasePath},
}

func main() {
	schemaPath := flag.String("schema", "lib/provider/plugin/schema.json", "the package schema (JSON)")
	out := flag.String("out", "", "output directory; nodejs/, python/ and go/ are written below it")
	langs := flag.String("lang", "nodejs,python,go", "comma-separated languages to generate")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "sdkgen: -out is required")
		os.Exit(2)
	}
	if err := run(*schemaPath, *out, strings.Split(*langs, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

// load reads the schema, adds the language defaults and binds it with validation, as
// `pulumi package gen-sdk` does.
func load(path string) (*schema.Package, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	for lang, defaults := range languageDefaults {
		merged := map[string]any{}
		if own, ok := spec.Language[lang]; ok {
			if err := json.Unmarshal(own, &merged); err != nil {
				return nil, fmt.Errorf("%s: language.%s: %w", path, lang, err)
			}
		}
		for k, v := range defaults {
			if _, ok := merged[k]; !ok {
				merged[k] = v
			}
		}
		b, err := json.Marshal(merged)
		if err != nil {
			return nil, err
		}
		spec.Language[lang] = b
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", path, diags.Error())
	}
	return pkg, nil
}

func run(schemaPath, out string, langs []string) error {
	for _, lang := range langs {
		// Each generator records its own language info on the package: bind afresh per language.
		pkg, err := load(schemaPath)
		if err != nil {
			return err
		}
		var files map[string][]byte
		switch lang {
		case "nodejs":
			files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, noReferences{})
		case "python":
			files, err = python.GeneratePackage(tool, pkg, nil, noReferences{})
		case "go":
			files, err = gogen.GeneratePackage(tool, pkg, nil)
		default:
			return fmt.Errorf("unknown language %q (nodejs, python, go)", lang)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		if err := write(filepath.Join(out, lang), files); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "sdkgen: %s: %d files in %s\n", lang, len(files), filepath.Join(out, lang))
	}
	return nil
}

// write empties dir and writes files below it, in a stable order.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
