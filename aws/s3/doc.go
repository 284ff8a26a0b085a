// Package s3 has the Amazon S3 constructs the EKS library needs: [Bucket]
// (encryption, public access block, versioning, removal policy, TLS-only
// policy), [BucketPolicy], grants with the AWS CDK's action lists
// (including the bucket's KMS key), and buckets imported by name or ARN.
//
//	bucket := s3.NewBucket(stack, "Manifests", s3.BucketProps{
//		Encryption: s3.BucketEncryptionKMS,
//		EnforceSSL: true,
//	})
//	bucket.GrantRead(handlerRole)
//
// With no props a bucket renders as the AWS CDK 2.276 renders it: no
// properties (S3 encrypts with SSE-S3 and blocks public access by default)
// and a Retain removal policy.
package s3
