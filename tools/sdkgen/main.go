// Command sdkgen generates the Python and TypeScript SDKs of the cartesia package from its
// Pulumi package schema, with Pulumi's own code generators (pkg/v3/codegen/python and
// codegen/nodejs, the code `pulumi package gen-sdk` runs inside the official language hosts).
//
// `pulumi package gen-sdk` itself asks the language plugin for the code (the GeneratePackage RPC);
// this project's Python language host is a small stand-in without that RPC and there is no Node.js
// host here, so tools/gen-sdk.sh runs this program instead.
//
//	go run . -schema ../../plugin/schema.json -out ../../sdk -language python,nodejs
//
// Each language's directory (<out>/<language>) is removed and written anew, so files the
// generator no longer emits disappear.
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
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the generator name the codegen writes into each file's "do not edit" header.
const tool = "cartesia-pulumi tools/sdkgen"

func main() {
	schemaPath := flag.String("schema", "", "path of the package schema (JSON)")
	out := flag.String("out", "", "directory that receives one subdirectory per language")
	languages := flag.String("language", "python,nodejs", "comma-separated: python, nodejs")
	flag.Parse()
	if *schemaPath == "" || *out == "" {
		fail("sdkgen needs -schema <schema.json> and -out <directory>")
	}
	if err := run(*schemaPath, *out, strings.Split(*languages, ",")); err != nil {
		fail(err.Error())
	}
}

// selfContained is the schema loader: the cartesia schema references no other package, so any
// request for one is an error rather than a plugin download.
type selfContained struct{}

func (selfContained) refuse(name string) error {
	return fmt.Errorf("the schema references package %q; sdkgen only generates SDKs for "+
		"self-contained schemas, so remove the reference", name)
}

func (l selfContained) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(name)
}

func (l selfContained) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l selfContained) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(name)
}

func (l selfContained) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "sdkgen: "+msg)
	os.Exit(1)
}

func run(schemaPath, out string, languages []string) error {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return fmt.Errorf("read the schema: %w", err)
	}
	for _, language := range languages {
		// Bind afresh per language: the generators record their language info on the package.
		var spec schema.PackageSpec
		if err := json.Unmarshal(data, &spec); err != nil {
			return fmt.Errorf("%s is not a package schema (%v); regenerate it", schemaPath, err)
		}
		pkg, diags, err := schema.BindSpec(spec, selfContained{}, schema.ValidationOptions{})
		if err != nil {
			return fmt.Errorf("bind %s: %w", schemaPath, err)
		}
		if diags.HasErrors() {
			return fmt.Errorf("%s does not validate: %s", schemaPath, diags.Error())
		}
		var files map[string][]byte
		switch strings.TrimSpace(language) {
		case "python":
			files, err = python.GeneratePackage(tool, pkg, nil, selfContained{})
		case "nodejs":
			files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, selfContained{})
		default:
			return fmt.Errorf("unknown language %q; use python or nodejs", language)
		}
		if err != nil {
			return fmt.Errorf("generate the %s SDK: %w", language, err)
		}
		if err := write(filepath.Join(out, strings.TrimSpace(language)), files); err != nil {
			return err
		}
	}
	return nil
}

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
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
