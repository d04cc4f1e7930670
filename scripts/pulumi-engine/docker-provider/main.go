// Substitute build of pulumi-resource-docker, used only by scripts/pulumi-engine.sh
// when the Go module proxy does not serve github.com/pulumi/pulumi-docker/provider/v5.
//
// It bridges the upstream Terraform provider (kreuzwerker/terraform-provider-docker,
// served by the proxy) with pulumi-terraform-bridge and maps tokens and the few
// renamed fields so that the @pulumi/docker 5.2.0 Node.js SDK's TF-bridged
// resources (Network, Container, Volume, RemoteImage, ...) work against it.
// Not covered: the native docker.Image (buildx) resource, provider schema
// (GetSchema returns an empty schema), auto-aliases.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/terraform-providers/terraform-provider-docker/aninfrashim"
)

// version is set with -ldflags -X main.version=...
var version = "5.2.0"

func providerInfo() tfbridge.ProviderInfo {
	p := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(aninfrashim.NewProvider(version)),
		Name:    "docker",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config": {Tok: tfbridge.MakeResource("docker", "index", "ServiceConfig")},
			"docker_container": {
				Tok:                 tfbridge.MakeResource("docker", "index", "Container"),
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image": {
				Tok:    tfbridge.MakeResource("docker", "index", "RemoteImage"),
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_image": {Tok: tfbridge.MakeDataSource("docker", "index", "getRemoteImage")},
		},
	}
	p.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard("docker")))
	p.SetAutonaming(255, "-")
	return p
}

func main() {
	tfbridge.Main("docker", version, providerInfo(), nil)
}
