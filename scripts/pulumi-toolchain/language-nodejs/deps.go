package main

// The program's npm dependencies: InstallDependencies (`npm install` when node_modules is
// missing) and GetProgramDependencies (package.json with the installed versions).

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

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
