// Substitute build of pulumi-resource-random, used only by scripts/pulumi-engine.sh
// when the Go module proxy does not serve github.com/pulumi/pulumi-random/provider/v4.
//
// It bridges the upstream Terraform provider (terraform-provider-random, a
// terraform-plugin-framework provider, served by the proxy) with
// pulumi-terraform-bridge's pf bridge, using the same ProviderInfo as
// pulumi-random's provider/resources.go: every random_X resource becomes
// random:index/randomX:RandomX (RandomPassword, RandomString, RandomId,
// RandomInteger, RandomUuid, RandomUuid4, RandomUuid7, RandomPet, RandomShuffle,
// RandomBytes) with the bridge's default field names (result, length, special,
// bcryptHash, minLower, overrideSpecial, b64Url, byteLength, ...), which are
// the names the @pulumi/random Node.js SDK uses. Sensitive Terraform attributes
// (result, bcryptHash, base64, hex) are returned as Pulumi secrets.
// Not covered: provider schema (GetSchema returns a minimal schema), bridge
// metadata (auto-aliases for states written by pulumi-random 3.x), docs.
package main

import (
	"context"
	"errors"
	"fmt"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/terraform-providers/terraform-provider-random/shim"
)

// version is set with -ldflags -X main.version=...
var version = "4.21.2"

const (
	randomPkg = "random"
	randomMod = "index"
)

func providerInfo() tfbridge.ProviderInfo {
	prov := tfbridge.ProviderInfo{
		P:       pf.ShimProvider(shim.NewProvider()),
		Name:    randomPkg,
		Version: version,
		// pf requires bridge metadata; pulumi-random embeds the file tfgen writes
		// (auto-aliasing history, renames). Empty metadata makes the bridge derive
		// everything from the Terraform schema at startup, which is equivalent for
		// new stacks.
		MetadataInfo: tfbridge.NewProviderMetadata([]byte("{}")),
		Resources: map[string]*tfbridge.ResourceInfo{
			"random_string": {
				// As in pulumi-random: states written by older versions may lack
				// the schema version marker; treat them as V1.
				PreStateUpgradeHook: func(args tfbridge.PreStateUpgradeHookArgs) (int64, resource.PropertyMap, error) {
					if args.PriorStateSchemaVersion == 0 {
						return 1, args.PriorState, nil
					}
					return args.PriorStateSchemaVersion, args.PriorState, nil
				},
			},
			// random_bytes has no "id" attribute.
			"random_bytes": {ComputeID: computeRandomBytesID},
		},
		EnableAccurateBridgePreview: true,
		EnableRawStateDelta:         true,
	}
	makeToken := func(module, name string) (string, error) {
		return tokens.MakeStandard(randomPkg)(module, "Random"+name)
	}
	prov.MustComputeTokens(tokens.SingleModule("random_", randomMod, makeToken))
	return prov
}

func computeRandomBytesID(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	b, ok := state["base64"]
	if !ok {
		return "", errors.New("random_bytes: no base64 property in state")
	}
	if b.IsSecret() {
		b = b.SecretValue().Element
	}
	if !b.IsString() {
		return "", errors.New("random_bytes: base64 property is not a string")
	}
	return resource.ID(b.StringValue()), nil
}

func main() {
	schema := fmt.Sprintf(`{"name":%q,"version":%q}`, randomPkg, version)
	pf.Main(context.Background(), randomPkg, providerInfo(), pf.ProviderMetadata{PackageSchema: []byte(schema)})
}
