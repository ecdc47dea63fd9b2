package main

// GenerateProgram: the TypeScript code `pulumi import` prints (and `pulumi convert --language
// nodejs` writes). The engine sends the program as PCL plus the address of its schema loader; we
// parse and bind the PCL against the schemas the loader serves (the providers' GetSchema) and hand
// the bound program to Pulumi's own Node.js program generator, pkg/v3/codegen/nodejs.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GenerateProgram answers the engine with TypeScript for the PCL program in req. Problems with
// the program (PCL that does not parse or bind, a generator that gives up) come back as the
// response's diagnostics, which the CLI prints; only a loader we cannot reach is an RPC error.
func (h *languageHost) GenerateProgram(
	_ context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	if req.GetLoaderTarget() == "" {
		return nil, fmt.Errorf("GenerateProgram: the request names no schema loader")
	}
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, fmt.Errorf("GenerateProgram: could not connect to the schema loader %s: %w",
			req.GetLoaderTarget(), err)
	}
	defer loader.Close()

	files, diags := generateProgram(req.GetSource(), schema.NewCachedLoader(loader), req.GetStrict())
	return &pulumirpc.GenerateProgramResponse{
		Source:      files,
		Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags),
	}, nil
}

// generateProgram parses source (file name -> PCL), binds it with loader (strictly or leniently,
// as the engine asks) and generates TypeScript. It returns no files when any step reports an
// error; a panic inside the binder or generator becomes an error diagnostic too.
func generateProgram(
	source map[string]string, loader schema.ReferenceLoader, strict bool,
) (files map[string][]byte, diags hcl.Diagnostics) {
	defer func() {
		if r := recover(); r != nil {
			files = nil
			diags = append(diags, errorDiagnostic("internal error while generating TypeScript", fmt.Sprint(r)))
		}
	}()

	parser := syntax.NewParser()
	names := make([]string, 0, len(source))
	for name := range source {
		names = append(names, name)
	}
	sort.Strings(names) // deterministic diagnostics order
	for _, name := range names {
		if err := parser.ParseFile(strings.NewReader(source[name]), name); err != nil {
			return nil, append(diags, errorDiagnostic("could not read "+name, err.Error()))
		}
	}
	diags = append(diags, parser.Diagnostics...)
	if diags.HasErrors() {
		return nil, diags
	}

	opts := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !strict {
		opts = append(opts, pcl.NonStrictBindOptions()...)
	}
	program, bindDiags, err := pcl.BindProgram(parser.Files, loader, opts...)
	diags = append(diags, bindDiags...)
	if err != nil {
		return nil, append(diags, errorDiagnostic("could not bind the program", err.Error()))
	}
	if diags.HasErrors() || program == nil {
		return nil, diags
	}

	files, genDiags, err := codegen.GenerateProgram(program)
	diags = append(diags, genDiags...)
	if err != nil {
		return nil, append(diags, errorDiagnostic("could not generate TypeScript", err.Error()))
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return files, diags
}

func errorDiagnostic(summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
}
