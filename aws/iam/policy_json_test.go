package iam_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/iam"
)

func TestPolicyDocumentFromJSONRoundTrip(t *testing.T) {
	t.Parallel()
	const text = `{"Version":"2012-10-17","Statement":[
		{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"x","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
		{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ec2.amazonaws.com"]},"NotPrincipal":null}]}`
	var obj map[string]any
	if err := json.Unmarshal([]byte(strings.ReplaceAll(text, `,"NotPrincipal":null`, "")), &obj); err != nil {
		t.Fatal(err)
	}
	doc, err := iam.PolicyDocumentFromJSON(obj)
	if err != nil {
		t.Fatal(err)
	}
	want := decode(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Deny","NotAction":"iam:*","NotResource":"x","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
		{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}]}`)
	if diff := cmp.Diff(want, resolveJSON(t, doc)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestPolicyStatementFromJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want string
	}{
		{"fails without actions", `{"Effect":"Allow","Resource":"*"}`, "at least one action"},
		{"fails on a bad action", `{"Effect":"Allow","Action":"GetObject","Resource":"*"}`, `action "GetObject" is invalid`},
		{"fails on a bad effect", `{"Effect":"Maybe","Action":"s3:A"}`, `Effect must be Allow or Deny, got "Maybe"`},
		{"fails on a non-string action", `{"Action":[1]}`, "Action item 0 is float64"},
		{"fails on a bad principal", `{"Action":"s3:A","Principal":3}`, "Principal: a principal must be a string or an object"},
		{"fails on a bad condition", `{"Action":"s3:A","Condition":"x"}`, "Condition must be an object"},
		{"fails on an unknown element", `{"Action":"s3:A","Resources":"*"}`, `unknown statement element "Resources"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var obj map[string]any
			if err := json.Unmarshal([]byte(tc.json), &obj); err != nil {
				t.Fatal(err)
			}
			_, err := iam.PolicyStatementFromJSON(obj)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := iam.PolicyDocumentFromJSON(map[string]any{"Statement": "x"}); err == nil || !strings.Contains(err.Error(), "Statement must be a list") {
		t.Errorf("document error = %v", err)
	}
	if _, err := iam.PolicyDocumentFromJSON(map[string]any{"Statement": []any{map[string]any{"Effect": "Allow"}}}); err == nil || !strings.Contains(err.Error(), "statement 0:") {
		t.Errorf("document error = %v", err)
	}
}
