package main

import (
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
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
