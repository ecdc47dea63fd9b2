// Command pulumi-language-nodejs is a minimal Node.js language host for the
// Pulumi CLI, written for pulumi-managed-redis.
//
// The upstream language host binary cannot be fetched in our build
// environment, so this small replacement implements just enough of the
// LanguageRuntime gRPC service for programs that use only dynamic providers
// (no provider plugins) and for Node.js policy packs:
//
//   - Run: spawns `node <@pulumi/pulumi/cmd/run> ...` for the program.
//   - RunPlugin: spawns `@pulumi/pulumi/cmd/run-policy-pack` (analyzers) or
//     `@pulumi/pulumi/cmd/run-plugin` (other plugins) and streams its output.
//   - GetRequiredPackages/GetRequiredPlugins: always empty.
//   - InstallDependencies: `npm install` only when node_modules is missing.
//   - Handshake, GetPluginInfo, About, GetProgramDependencies, Cancel.
//   - GenerateProgram (generate.go): the TypeScript `pulumi import` prints, from
//     PCL, with pkg/v3's codegen/pcl and codegen/nodejs.
//
// Everything else answers Unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is reported by GetPluginInfo and -version; override with
// -ldflags "-X main.version=...".
var version = "3.248.0"

const (
	// Exit code used by @pulumi/pulumi when it has already shown the user an
	// actionable error message: the engine should bail without adding more.
	exitCodeAlreadyReported = 32
	// How long a child gets between SIGINT and SIGKILL on cancellation.
	killGrace = 5 * time.Second
	// How often we check that the engine is still alive: every 5 minutes, as upstream's language
	// hosts do, so a host whose engine was killed alone lingers as long as upstream's would.
	healthInterval = 5 * time.Minute
)

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	healthStarted bool

	// cancelled by the Cancel RPC, SIGTERM or a dead engine.
	stop     context.Context
	stopFunc context.CancelFunc
}

// cliArgs is what we understand of our command line. The engine starts us as
// `pulumi-language-nodejs [flags] <engine-address>`; unknown flags are ignored.
type cliArgs struct {
	engine      string
	tracing     string
	verbose     int
	logToStderr bool
	showVersion bool
}

func parseArgs(argv []string) cliArgs {
	// Flags that take a separate value when written without '='.
	takesValue := map[string]bool{
		"tracing": true, "root": true, "binary": true, "runtime": true,
		"tsconfig": true, "nodeargs": true, "packagemanager": true, "v": false,
	}
	var a cliArgs
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			if a.engine == "" {
				a.engine = arg
			}
			continue
		}
		if arg == "--" {
			if i+1 < len(argv) && a.engine == "" {
				a.engine = argv[i+1]
			}
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !hasValue && takesValue[name] && i+1 < len(argv) {
			i++
			value, hasValue = argv[i], true
		}
		switch name {
		case "version":
			a.showVersion = true
		case "tracing":
			a.tracing = value
		case "logtostderr":
			a.logToStderr = !hasValue || value == "true"
		case "v":
			if n, err := strconv.Atoi(value); err == nil {
				a.verbose = n
			}
		}
	}
	return a
}

func main() {
	args := parseArgs(os.Args[1:])
	if args.showVersion {
		fmt.Println(version)
		return
	}
	logging.InitLogging(args.logToStderr, args.verbose, false)

	stop, stopFunc := context.WithCancel(context.Background())
	host := &languageHost{tracing: args.tracing, stop: stop, stopFunc: stopFunc}

	// The engine closes a plugin by sending SIGINT to its process group and
	// kills it 5 s later if it is still there: shut down at once on SIGINT
	// (as on SIGTERM), or every pulumi command idles 5 s per plugin close.
	// The host runs in its own process group, so a terminal Ctrl-C does not
	// reach it; the engine cancels a running program through its own signals.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	serverDone := make(chan bool, 1)
	go func() {
		<-signals
		host.stopFunc()
		serverDone <- true
	}()

	if args.engine != "" {
		host.setEngine(args.engine)
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: serverDone,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads our port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)

	select {
	case err := <-handle.Done:
		if err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
			os.Exit(1)
		}
	case <-host.engineGone():
		// The engine died (e.g. SIGKILL): give children a moment to be
		// interrupted, then exit so nothing is left behind.
		time.Sleep(killGrace + time.Second)
	}
}

// setEngine records the engine address and starts watching its health once.
func (h *languageHost) setEngine(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = addr
	if h.healthStarted || addr == "" {
		return
	}
	h.healthStarted = true
	if err := rpcutil.Healthcheck(context.Background(), addr, healthInterval, h.onEngineGone); err != nil {
		logging.V(3).Infof("health check of engine %s not started: %v", addr, err)
	}
}

var (
	engineGoneOnce sync.Once
	engineGoneCh   = make(chan struct{})
)

func (h *languageHost) onEngineGone() {
	engineGoneOnce.Do(func() {
		logging.V(3).Infof("engine is gone; stopping")
		h.stopFunc()
		close(engineGoneCh)
	})
}

func (h *languageHost) engineGone() <-chan struct{} { return engineGoneCh }

func (h *languageHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.setEngine(req.GetEngineAddress())
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// Dynamic providers run inside @pulumi/pulumi itself: no plugins are needed.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.stopFunc()
	return &emptypb.Empty{}, nil
}

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

// RunPlugin runs a plugin written in Node.js. The CLI uses it to start policy
// packs (kind "analyzer"); their output, including the port line the engine
// waits for, goes back through the stream.
func (h *languageHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	opts, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	isPolicyPack := req.GetKind() == "analyzer"
	module := "@pulumi/pulumi/cmd/run-plugin"
	if isPolicyPack {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	script, err := resolveModule(ctx, node, dir, module)
	if err != nil {
		return err
	}

	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	env = append(env, opts.env()...)
	args := append(append([]string{}, opts.nodeargs...), script)
	if isPolicyPack {
		// run-policy-pack takes the policy pack directory as its last argument.
		args = append(append(args, req.GetArgs()...), dir)
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}

	// @pulumi/policy learns the stack (project, stack, config, dry-run) from
	// environment variables set before it starts, while the engine only sends
	// them over gRPC once the analyzer is up. sdk.PolicyProxy answers for the
	// policy pack until it has that configuration, then forwards to it.
	var proxy *sdk.PolicyProxy
	if isPolicyPack {
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if stack != nil {
			setEnv := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			setEnv("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
			setEnv("PULUMI_NODEJS_PROJECT", stack.GetProject())
			setEnv("PULUMI_NODEJS_STACK", stack.GetStack())
			setEnv("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
			if stack.GetConfig() != nil {
				cfg, err := json.Marshal(stack.GetConfig())
				if err != nil {
					return err
				}
				setEnv("PULUMI_CONFIG", string(cfg))
			}
		}
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = req.GetPwd()
	if isPolicyPack {
		cmd.Dir = dir // policy packs have always run from their own directory
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	logging.V(5).Infof("running plugin: %s %s", node, strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node: %w", err)
	}
	release := h.stopOnCancel(ctx, cmd)
	defer release()
	if proxy != nil {
		err = proxy.Attach(ctx, cmd) // waits for cmd
	} else {
		err = cmd.Wait()
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
	} else if err != nil {
		return err
	}
	return closer.Close()
}

// InstallDependencies runs `npm install` when node_modules is missing and is
// a no-op otherwise.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	_, errPkg := os.Stat(filepath.Join(dir, "package.json"))
	_, errMods := os.Stat(filepath.Join(dir, "node_modules"))
	if errPkg != nil || errMods == nil {
		fmt.Fprintln(stdout, "Dependencies are already installed.")
		return closer.Close()
	}
	fmt.Fprintf(stdout, "Installing dependencies in %s...\n", dir)
	cmd := exec.CommandContext(server.Context(), "npm", "install")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install failed: %w", err)
	}
	fmt.Fprintln(stdout, "Finished installing dependencies")
	return closer.Close()
}

func (h *languageHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, _ := exec.CommandContext(ctx, node, "--version").Output()
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimSpace(string(out)),
		Metadata:   map[string]string{"packagemanager": "npm", "languagehost": "pulumi-managed-redis minimal"},
	}, nil
}

// GetProgramDependencies lists package.json dependencies with the versions
// installed in node_modules (or the declared range when not installed).
func (h *languageHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	type packageJSON struct {
		Version         string            `json:"version"`
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	read := func(path string) (packageJSON, error) {
		var p packageJSON
		b, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(b, &p)
		}
		return p, err
	}
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	pkg, err := read(filepath.Join(dir, "package.json"))
	if err != nil {
		return resp, nil
	}
	all := map[string]string{}
	for name, spec := range pkg.DevDependencies {
		all[name] = spec
	}
	for name, spec := range pkg.Dependencies {
		all[name] = spec
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := all[name]
		if installed, err := read(filepath.Join(dir, "node_modules", name, "package.json")); err == nil &&
			installed.Version != "" {
			v = installed.Version
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	return resp, nil
}
