package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/fingerprint"
)

// Env is the AWS environment a stack is deployed to.
type Env struct {
	// Account is the account id.
	Account string
	// Region is the region.
	Region string
	// Partition is "aws", "aws-cn", "aws-us-gov", ...
	Partition string
}

// String returns "aws://account/region".
func (e Env) String() string { return "aws://" + e.Account + "/" + e.Region }

// Substitute replaces ${AWS::AccountId}, ${AWS::Region} and
// ${AWS::Partition} in s, as asset manifests use them.
func (e Env) Substitute(s string) string {
	return strings.NewReplacer("${AWS::AccountId}", e.Account, "${AWS::Region}", e.Region, "${AWS::Partition}", e.Partition).Replace(s)
}

// ErrNotBootstrapped is wrapped by errors about a missing bootstrap bucket
// or version parameter.
var ErrNotBootstrapped = errors.New("the environment is not bootstrapped")

// PublishResult counts what PublishAssets did.
type PublishResult struct {
	// Uploaded are the s3:// URLs of the objects uploaded.
	Uploaded []string
	// Skipped are the s3:// URLs of the objects already present.
	Skipped []string
}

// PublishAssets uploads every file asset of the manifest to its
// destinations, skipping objects already present (HeadObject): an asset's
// key is its content hash, so an existing object has the same content.
// An asset whose source is a command (a Go handler built at publish time)
// is made by running it, as the AWS CDK's cdk-assets does, only when an
// object is missing, in the directory dir ("" for the current one: the
// app's project directory, where cdk-assets runs it too); the command's
// standard error (its progress) goes to progress, which may be nil.
// Destinations in another region than env's
// are published with the same client. Container image assets are an
// error.
func PublishAssets(ctx context.Context, client S3API, env Env, am *assembly.AssetManifest, dir string, progress io.Writer) (PublishResult, error) {
	var res PublishResult
	if am == nil {
		return res, nil
	}
	if am.DockerImages > 0 {
		return res, fmt.Errorf("%s has %d container image asset(s): the eksforge CLI publishes file assets only; deploy with the AWS CDK CLI", am.Path, am.DockerImages)
	}
	checked := map[string]bool{}
	for _, f := range am.Files {
		var body []byte
		for _, d := range f.Destinations {
			bucket, key := env.Substitute(d.BucketName), env.Substitute(d.ObjectKey)
			url := "s3://" + bucket + "/" + key
			if !checked[bucket] {
				if _, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket}); err != nil {
					if isNotFound(err) {
						return res, fmt.Errorf("%w: the asset bucket %s does not exist; run 'eksforge bootstrap %s' (or 'cdk bootstrap') once for this account and region", ErrNotBootstrapped, bucket, env)
					}
					return res, fmt.Errorf("unable to check the asset bucket %s: %w", bucket, err)
				}
				checked[bucket] = true
			}
			_, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &key})
			if err == nil {
				res.Skipped = append(res.Skipped, url)
				continue
			}
			if !isNotFound(err) {
				return res, fmt.Errorf("unable to check asset %s at %s: %w", f.DisplayName, url, err)
			}
			if body == nil {
				if body, err = readAsset(ctx, f, dir, progress); err != nil {
					return res, err
				}
			}
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader(body), ContentType: contentType(key)}); err != nil {
				return res, fmt.Errorf("unable to upload asset %s to %s: %w", f.DisplayName, url, err)
			}
			res.Uploaded = append(res.Uploaded, url)
		}
	}
	return res, nil
}

func readAsset(ctx context.Context, f assembly.FileAsset, dir string, progress io.Writer) ([]byte, error) {
	if len(f.Executable) > 0 {
		p, err := runExecutable(ctx, f, dir, progress)
		if err != nil {
			return nil, err
		}
		f.Path = p
	}
	if f.Packaging == "zip" {
		st, err := os.Stat(f.Path)
		if err != nil {
			return nil, fmt.Errorf("unable to read asset %s: %w", f.DisplayName, err)
		}
		if st.IsDir() {
			var b bytes.Buffer
			if err := fingerprint.Zip(&b, f.Path); err != nil {
				return nil, fmt.Errorf("unable to zip asset %s from %s: %w", f.DisplayName, f.Path, err)
			}
			return b.Bytes(), nil
		}
	}
	body, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("unable to read asset %s: %w", f.DisplayName, err)
	}
	return body, nil
}

// runExecutable runs the command of an asset made at publish time and
// returns the path it prints. It runs in dir (the current directory when
// ""), as cdk-assets runs it in the AWS CDK CLI's; a relative path it
// prints is relative to dir.
func runExecutable(ctx context.Context, f assembly.FileAsset, dir string, progress io.Writer) (string, error) {
	if progress == nil {
		progress = io.Discard
	}
	fmt.Fprintf(progress, "building asset %s: %s\n", f.DisplayName, strings.Join(f.Executable, " "))
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, f.Executable[0], f.Executable[1:]...)
	cmd.Dir = dir
	cmd.Stderr = io.MultiWriter(progress, &stderr)
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "(no output)"
		}
		return "", fmt.Errorf("unable to build asset %s: %s: %w:\n%s", f.DisplayName, f.Executable[0], err, msg)
	}
	p := strings.TrimSpace(string(out))
	if p == "" {
		return "", fmt.Errorf("unable to build asset %s: the command printed no file name on standard output: %s", f.DisplayName, strings.Join(f.Executable, " "))
	}
	if dir != "" && !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return p, nil
}

func contentType(key string) *string {
	var t string
	switch {
	case strings.HasSuffix(key, ".json"):
		t = "application/json"
	case strings.HasSuffix(key, ".zip"):
		t = "application/zip"
	case strings.HasSuffix(key, ".yaml"), strings.HasSuffix(key, ".yml"):
		t = "application/yaml"
	default:
		return nil
	}
	return &t
}
