// Command pulumi-language-nodejs is a minimal Node.js language host for the
// Pulumi CLI, written for pulumi-managed-redis.
//
// The upstream language host binary cannot be fetched in our build
// environment, so this small replacement implements just enough of the
// LanguageRuntime gRPC service for programs that use only dynamic providers
// (no provider plugins) and for Node.js policy packs:
//
//   - Run (run.go): spawns `node <@pulumi/pulumi/cmd/run> ...` for the program.
//   - RunPlugin (plugin.go): spawns `@pulumi/pulumi/cmd/run-policy-pack`
//     (analyzers) or `@pulumi/pulumi/cmd/run-plugin` (other plugins) and
//     streams its output.
//   - GetRequiredPackages/GetRequiredPlugins (rpcs.go): always empty.
//   - InstallDependencies (deps.go): `npm install` only when node_modules is
//     missing.
//   - Handshake, GetPluginInfo, About, Cancel (rpcs.go); GetProgramDependencies
//     (deps.go).
//   - GenerateProgram (generate.go): the TypeScript `pulumi import` prints, from
//     PCL, with pkg/v3's codegen/pcl and codegen/nodejs.
//
// Everything else answers Unimplemented. This file holds main: the command
// line, the gRPC server and the engine's health check.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"

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
