package io.retailstack.deploy.helm;

import static io.retailstack.deploy.helm.RenderedChart.container;
import static io.retailstack.deploy.helm.RenderedChart.env;
import static io.retailstack.deploy.helm.RenderedChart.podSpec;
import static io.retailstack.deploy.helm.RenderedChart.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.retailstack.deploy.SharedSecrets;
import io.retailstack.deploy.terraform.TerraformConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Azure Key Vault through the Secrets Store CSI driver, and the workload identity it authenticates with. */
class KeyVaultTest {

    private static final RenderedChart CHART = RenderedChart.azure();

    /** objectName of each entry of the provider's parameters.objects (a YAML string of YAML strings). */
    private static Set<String> objectNames(JsonNode spc) {
        JsonNode objects = RenderedChart.parse(
                        spc.path("spec").path("parameters").path("objects").asText())
                .get(0)
                .path("array");
        Set<String> names = new TreeSet<>();
        for (JsonNode object : objects) {
            JsonNode parsed = RenderedChart.parse(object.asText()).get(0);
            assertThat(parsed.path("objectType").asText()).isEqualTo("secret");
            assertThat(names.add(parsed.path("objectName").asText())).isTrue();
        }
        return names;
    }

    /** Keys of the secretKeyRefs in a workload's env, each checked to point at the given Secret. */
    private static Set<String> secretKeys(JsonNode workload, String secretName) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode entry : env(container(workload)).values()) {
            JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                assertThat(ref.path("name").asText()).isEqualTo(secretName);
                keys.add(ref.path("key").asText());
            }
        }
        return keys;
    }

    @Test
    void shouldAskKeyVaultForExactlyTheSharedSecretNames() {
        List<JsonNode> classes = CHART.ofKind("SecretProviderClass");
        assertThat(classes).hasSize(RenderedChart.SERVICES.size());

        Set<String> all = new HashSet<>();
        for (JsonNode spc : classes) {
            assertThat(spc.path("apiVersion").asText()).isEqualTo("secrets-store.csi.x-k8s.io/v1");
            assertThat(spc.path("spec").path("provider").asText()).isEqualTo("azure");
            JsonNode parameters = spc.path("spec").path("parameters");
            assertThat(parameters.path("keyvaultName").asText()).isEqualTo("kv-retail-prod");
            assertThat(parameters.path("tenantId").asText()).isNotBlank();
            assertThat(parameters.path("usePodIdentity").asText()).isEqualTo("false");
            all.addAll(objectNames(spc));
        }
        assertThat(all).isEqualTo(SharedSecrets.NAMES);
    }

    /**
     * terraform/ lets each service's identity read only its own secrets, so a pod that asks Key Vault for one more
     * fails to mount: each SecretProviderClass must list exactly what Terraform grants that service.
     */
    @Test
    void shouldAskKeyVaultForExactlyTheSecretsTerraformGrantsEachService() {
        TerraformConfig terraform = TerraformConfig.repository();
        JsonNode names = terraform.local("key_vault_secret_names");
        JsonNode grants = terraform.local("service_secret_keys");
        for (String service : RenderedChart.SERVICES) {
            Set<String> granted = new TreeSet<>();
            grants.path(service)
                    .forEach(key -> granted.add(names.path(key.asText()).asText()));
            assertThat(granted).as("terraform grants of %s", service).isNotEmpty();
            JsonNode spc = CHART.ofKind("SecretProviderClass").stream()
                    .filter(c -> c.path("metadata").path("name").asText().equals(service + "-keyvault"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no SecretProviderClass for " + service));
            assertThat(objectNames(spc)).as("Key Vault objects of %s", service).isEqualTo(granted);
        }
    }

    @Test
    void shouldSyncEachServicesSecretsAndMountThemInItsPods() {
        for (String service : RenderedChart.SERVICES) {
            JsonNode workload = CHART.workload(service);
            JsonNode pod = podSpec(workload);

            // The pod mounts the CSI volume of its SecretProviderClass: only then does the driver sync the Secret.
            String spcName = null;
            String volumeName = null;
            for (JsonNode volume : pod.path("volumes")) {
                JsonNode csi = volume.path("csi");
                if (csi.path("driver").asText().equals("secrets-store.csi.k8s.io")) {
                    spcName = csi.path("volumeAttributes")
                            .path("secretProviderClass")
                            .asText();
                    volumeName = volume.path("name").asText();
                }
            }
            assertThat(spcName).as("%s has a Secrets Store CSI volume", service).isNotBlank();
            String mounted = volumeName;
            assertThat(container(workload).path("volumeMounts"))
                    .as("%s mounts its CSI volume", service)
                    .anyMatch(m -> m.path("name").asText().equals(mounted));

            JsonNode spc = CHART.get("SecretProviderClass", spcName);
            JsonNode secretObject = spc.path("spec").path("secretObjects").get(0);
            String syncedSecret = secretObject.path("secretName").asText();
            Set<String> synced = new TreeSet<>();
            for (JsonNode data : secretObject.path("data")) {
                assertThat(data.path("key").asText())
                        .isEqualTo(data.path("objectName").asText());
                synced.add(data.path("key").asText());
            }

            // Exactly what the service reads, all of it fetched from the vault and synced into the Secret it reads.
            Set<String> read = secretKeys(workload, syncedSecret);
            assertThat(read).as("%s reads secrets", service).isNotEmpty();
            assertThat(synced).as(service).isEqualTo(read);
            assertThat(objectNames(spc)).as(service).isEqualTo(read);

            // The vault is read as the pod's own workload identity.
            String clientId = CHART.get("ServiceAccount", service)
                    .path("metadata")
                    .path("annotations")
                    .path("azure.workload.identity/client-id")
                    .asText();
            assertThat(clientId).isNotBlank();
            assertThat(spc.path("spec").path("parameters").path("clientID").asText())
                    .isEqualTo(clientId);
        }
    }

    @Test
    void shouldRunEveryServiceAsItsOwnWorkloadIdentity() {
        Set<String> clientIds = new HashSet<>();
        for (String service : RenderedChart.SERVICES) {
            JsonNode account = CHART.get("ServiceAccount", service);
            clientIds.add(account.path("metadata")
                    .path("annotations")
                    .path("azure.workload.identity/client-id")
                    .asText());
            JsonNode workload = CHART.workload(service);
            assertThat(podSpec(workload).path("serviceAccountName").asText()).isEqualTo(service);
            assertThat(podTemplate(workload)
                            .path("metadata")
                            .path("labels")
                            .path("azure.workload.identity/use")
                            .asText())
                    .as(service)
                    .isEqualTo("true");
        }
        assertThat(clientIds).hasSize(RenderedChart.SERVICES.size());

        RenderedChart plain = RenderedChart.render();
        for (String service : RenderedChart.SERVICES) {
            assertThat(plain.get("ServiceAccount", service).path("metadata").has("annotations"))
                    .isFalse();
            assertThat(podTemplate(plain.workload(service))
                            .path("metadata")
                            .path("labels")
                            .has("azure.workload.identity/use"))
                    .isFalse();
            assertThat(podSpec(plain.workload(service)).path("volumes")).noneMatch(v -> v.has("csi"));
        }
    }

    @Test
    void shouldRefuseKeyVaultWithoutWorkloadIdentity() {
        assertThatThrownBy(() -> RenderedChart.azure("workloadIdentity.enabled=false"))
                .hasMessageContaining("workloadIdentity");
        assertThatThrownBy(() -> RenderedChart.azure("keyVault.name=")).hasMessageContaining("keyVault.name");
    }
}
