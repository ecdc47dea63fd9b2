package main

// RunPlugin: Node.js plugins, policy packs (run-policy-pack behind sdk.PolicyProxy) and others
// (run-plugin), their output streamed back to the engine.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

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
