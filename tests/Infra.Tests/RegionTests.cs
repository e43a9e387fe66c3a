using BertPlatform.Infra.Tests.Templates;

namespace BertPlatform.Infra.Tests;

/// <summary>
/// The deployment refuses a region where Flex Consumption and the chosen serverless GPU do not both exist, and it
/// refuses it before any resource is created: every resource takes its location from the checked value.
/// </summary>
public class RegionTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Main;

    [Fact]
    public void The_allow_list_is_the_documented_gpu_regions_per_profile()
    {
        // "Using serverless GPUs in Azure Container Apps", supported regions (revision 2025-06-02): A100 in West US 3,
        // West US, Australia East, Sweden Central; T4 in West US 3, Australia East, Sweden Central, West Europe; all of
        // them also host Flex Consumption.
        var regions = Template.Root["variables"]!["supportedRegions"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(r => (string)r!).Order().ToList());
        Assert.Equal(["australiaeast", "swedencentral", "westeurope", "westus3"], regions["Consumption-GPU-NC8as-T4"]);
        Assert.Equal(["australiaeast", "swedencentral", "westus", "westus3"], regions["Consumption-GPU-NC24-A100"]);
        var profiles = Template.Root["parameters"]!["gpuWorkloadProfile"]!["allowedValues"]!.AsArray().Select(v => (string)v!).Order();
        Assert.Equal(profiles, regions.Keys.Order());
    }

    [Fact]
    public void A_region_outside_the_list_fails_with_a_message_naming_the_allowed_ones()
    {
        var check = (string)Template.Root["variables"]!["deploymentLocation"]!;
        Assert.StartsWith("[if(contains(variables('supportedRegions')[parameters('gpuWorkloadProfile')], toLower(replace(parameters('location'), ' ', ''))), parameters('location'), fail(", check);
        Assert.Contains("join(variables('supportedRegions')[parameters('gpuWorkloadProfile')], ', ')", check);
    }

    [Fact]
    public void Every_module_is_placed_at_the_checked_location_so_nothing_is_created_first()
    {
        // main itself creates nothing but modules, and every module's location is the checked one.
        Assert.All(CompiledTemplate.Resources(Template.Root), r => Assert.Equal("Microsoft.Resources/deployments", (string)r["type"]!));
        foreach (var module in Template.ModuleNames)
            Assert.Equal("[variables('deploymentLocation')]", Template.ModuleParameter(module, "location")!.ToString());
        Assert.Contains("variables('deploymentLocation')", (string)Template.Root["variables"]!["resourceToken"]!);
        Assert.DoesNotContain("parameters('location')", Template.Root["resources"]!.ToJsonString());
    }
}
