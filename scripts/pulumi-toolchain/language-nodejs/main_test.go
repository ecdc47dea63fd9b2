package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/blang/semver"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	codegenrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
)

func TestParseArgs(t *testing.T) {
	cases := []struct {
		argv []string
		want cliArgs
	}{
		{[]string{"127.0.0.1:1234"}, cliArgs{engine: "127.0.0.1:1234"}},
		{
			[]string{"--logtostderr", "-v=9", "--tracing", "http://t", "127.0.0.1:5"},
			cliArgs{engine: "127.0.0.1:5", tracing: "http://t", verbose: 9, logToStderr: true},
		},
		{
			[]string{"-root", "/p", "-binary", "bin/x", "-typescript", "-unknown=1", "-other", "127.0.0.1:6"},
			cliArgs{engine: "127.0.0.1:6"},
		},
		{[]string{"-version"}, cliArgs{showVersion: true}},
	}
	for _, c := range cases {
		if got := parseArgs(c.argv); got != c.want {
			t.Errorf("parseArgs(%q) = %+v, want %+v", c.argv, got, c.want)
		}
	}
}

func TestParseRuntimeOptions(t *testing.T) {
	s, err := structpb.NewStruct(map[string]any{"typescript": false, "nodeargs": "--max-old-space-size=256 --inspect"})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := parseRuntimeOptions(s)
	if err != nil {
		t.Fatal(err)
	}
	if opts.typescript || len(opts.nodeargs) != 2 || len(opts.env()) != 0 {
		t.Errorf("unexpected options %+v", opts)
	}
	if opts, _ := parseRuntimeOptions(nil); !opts.typescript || opts.env()[0] != "PULUMI_NODEJS_TYPESCRIPT=true" {
		t.Errorf("typescript must default to true: %+v", opts)
	}
	bad, _ := structpb.NewStruct(map[string]any{"typescript": "yes"})
	if _, err := parseRuntimeOptions(bad); err == nil {
		t.Error("expected an error for a non-boolean typescript option")
	}
}

// fakeLoader serves one package, bound from a schema spec, as the engine's loader would.
type fakeLoader struct{ pkg *schema.Package }

func (l fakeLoader) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	if name != l.pkg.Name {
		return nil, fmt.Errorf("unknown package %q", name)
	}
	return l.pkg, nil
}

func (l fakeLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l fakeLoader) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	pkg, err := l.LoadPackage(name, v)
	if err != nil {
		return nil, err
	}
	return pkg.Reference(), nil
}

func (l fakeLoader) LoadPackageReferenceV2(
	ctx context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

// serveLoader starts a schema loader gRPC server for one small package and returns its address.
func serveLoader(t *testing.T) string {
	t.Helper()
	str := schema.PropertySpec{TypeSpec: schema.TypeSpec{Type: "string"}}
	spec := schema.PackageSpec{
		Name:    "managed-redis",
		Version: "0.1.0",
		Resources: map[string]schema.ResourceSpec{
			"managed-redis:kakaocloud:KakaoRedisCluster": {
				ObjectTypeSpec: schema.ObjectTypeSpec{
					Type:       "object",
					Properties: map[string]schema.PropertySpec{"name": str, "description": str},
					Required:   []string{"name"},
				},
				InputProperties: map[string]schema.PropertySpec{"name": str, "description": str},
				RequiredInputs:  []string{"name"},
			},
		},
	}
	pkg, err := schema.ImportSpec(spec, nil, schema.NewNullLoader(), schema.ValidationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			schema.LoaderRegistration(schema.NewLoaderServer(fakeLoader{pkg}))(srv)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(stop); <-handle.Done })
	return fmt.Sprintf("127.0.0.1:%d", handle.Port)
}

// What `pulumi import` sends: one resource with its id-derived inputs and the import options.
const importedPCL = `resource cache "managed-redis:kakaocloud:KakaoRedisCluster" {
    __logicalName = "cache"
    name = "orders"
    description = "imported"
    options {
        protect = true
    }
}
`

func TestGenerateProgramPrintsTypeScript(t *testing.T) {
	host := &languageHost{}
	resp, err := host.GenerateProgram(context.Background(), &pulumirpc.GenerateProgramRequest{
		Source:       map[string]string{"main.pp": importedPCL},
		LoaderTarget: serveLoader(t),
		Strict:       true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.GetDiagnostics() {
		t.Errorf("unexpected diagnostic: %s: %s", d.GetSummary(), d.GetDetail())
	}
	code := string(resp.GetSource()["index.ts"])
	for _, want := range []string{
		`import * as managed_redis from "@pulumi/managed-redis";`,
		`const cache = new managed_redis.kakaocloud.KakaoRedisCluster("cache", {`,
		`name: "orders",`,
		`description: "imported",`,
		`protect: true,`,
	} {
		if !strings.Contains(code, want) {
			t.Errorf("index.ts lacks %q:\n%s", want, code)
		}
	}
}

func TestGenerateProgramReportsDiagnostics(t *testing.T) {
	host := &languageHost{}
	target := serveLoader(t)
	cases := map[string]string{
		"unknown type": `resource x "managed-redis:kakaocloud:NoSuchThing" {
    name = "x"
}
`,
		"unknown package": `resource x "other:index:Thing" {
    name = "x"
}
`,
		"does not parse": `resource x "managed-redis:kakaocloud:KakaoRedisCluster" {`,
	}
	for name, source := range cases {
		resp, err := host.GenerateProgram(context.Background(), &pulumirpc.GenerateProgramRequest{
			Source: map[string]string{"main.pp": source}, LoaderTarget: target, Strict: true,
		})
		if err != nil {
			t.Errorf("%s: an RPC error instead of diagnostics: %v", name, err)
			continue
		}
		hasError := false
		for _, d := range resp.GetDiagnostics() {
			hasError = hasError || d.GetSeverity() == codegenrpc.DiagnosticSeverity_DIAG_ERROR
		}
		if !hasError || len(resp.GetSource()) != 0 {
			t.Errorf("%s: want an error diagnostic and no code, got %v and %d files",
				name, resp.GetDiagnostics(), len(resp.GetSource()))
		}
	}
}
