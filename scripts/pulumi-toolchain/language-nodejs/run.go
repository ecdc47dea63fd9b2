package main

// Run: the Pulumi program under @pulumi/pulumi/cmd/run; with the helpers RunPlugin shares (the
// runtime options, module resolution, interrupting a child on cancellation).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// runtimeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml.
type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseRuntimeOptions(s *structpb.Struct) (runtimeOptions, error) {
	opts := runtimeOptions{typescript: true}
	m := s.AsMap()
	if v, ok := m["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("runtime option 'typescript' must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := m["tsconfig"]; ok {
		str, isStr := v.(string)
		if !isStr {
			return opts, errors.New("runtime option 'tsconfig' must be a string")
		}
		opts.tsconfig = str
	}
	if v, ok := m["nodeargs"]; ok {
		str, isStr := v.(string)
		if !isStr {
			return opts, errors.New("runtime option 'nodeargs' must be a string")
		}
		opts.nodeargs = strings.Fields(str)
	}
	return opts, nil
}

func (o runtimeOptions) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolveModule resolves a module the way `require.resolve` does from dir.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	script := fmt.Sprintf("try { process.stdout.write(require.resolve(%q)) } catch (e) {"+
		" process.stderr.write(e.code === 'MODULE_NOT_FOUND' ? 'module not found' : String(e.message));"+
		" process.exit(1) }", module)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not resolve %s from %s: %s (is @pulumi/pulumi installed there? "+
			"run `npm install` or `pulumi install` in that directory)", module, dir, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// stopOnCancel interrupts cmd (SIGINT, then SIGKILL after killGrace) when
// either ctx or the host's stop context is done. Call the returned func once
// cmd has exited.
func (h *languageHost) stopOnCancel(ctx context.Context, cmd *exec.Cmd) func() {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		case <-h.stop.Done():
		}
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(killGrace):
			_ = cmd.Process.Kill()
		}
	}()
	return func() { close(done) }
}

// Run executes the Pulumi program with @pulumi/pulumi/cmd/run.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	fail := func(format string, a ...any) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(format, a...)}, nil
	}
	info := req.GetInfo()
	programDir, entry := info.GetProgramDirectory(), info.GetEntryPoint()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	if entry == "" {
		entry = req.GetProgram()
	}
	if entry == "" {
		entry = "."
	}
	opts, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return fail("%v", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fail("could not find node on the $PATH: %v", err)
	}
	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = "@pulumi/pulumi/cmd/run"
	}
	runScript, err := resolveModule(ctx, node, programDir, runModule)
	if err != nil {
		return fail("%v", err)
	}

	// @pulumi/pulumi reads config keys as "<namespace>:config:<name>".
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return fail("invalid config key %q: %v", k, err)
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, _ := json.Marshal(cfg)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, _ := json.Marshal(secretKeys)

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runScript)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engine())
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", info.GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", h.tracing)
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(cfgJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	cmd.Env = append(cmd.Env, opts.env()...)
	// Wrap our stdio so that exec copies through pipes: node may switch the
	// descriptors it is given to non-blocking mode, which must not leak into
	// the descriptors we share with the engine.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	logging.V(5).Infof("running program: %s %s", node, strings.Join(args, " "))

	if err := cmd.Start(); err != nil {
		return fail("could not start node: %v", err)
	}
	release := h.stopOnCancel(ctx, cmd)
	err = cmd.Wait()
	release()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()

	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr):
		switch code := exitErr.ExitCode(); code {
		case exitCodeAlreadyReported:
			// The program already printed a good error message.
			return &pulumirpc.RunResponse{Bail: true}, nil
		case -1:
			return fail("Program exited unexpectedly: %v", exitErr)
		default:
			return fail("Program exited with non-zero exit code: %d", code)
		}
	default:
		return fail("Problem executing program (could not run node): %v", err)
	}
}
