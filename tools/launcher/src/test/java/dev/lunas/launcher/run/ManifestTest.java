package dev.lunas.launcher.run;

import static dev.lunas.launcher.run.RepositoryFiles.httpPort;
import static dev.lunas.launcher.run.RepositoryFiles.load;
import static dev.lunas.launcher.run.RepositoryFiles.map;
import static dev.lunas.launcher.run.RepositoryFiles.repository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.smallrye.config.common.utils.StringUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests as a cluster would get them: each overlay of deploy/k8s rendered ({@link Kustomize}, the
 * same as {@code kubectl kustomize}), every object parsed strictly as its Kubernetes kind, then checked object by
 * object: probes, resources, non-root, read-only root with a writable /tmp, pinned images, Secret keys documented
 * in secret.example.yaml, every variable each service reads ({@link ServiceVariable}), autoscaling and disruption
 * budgets, the environments' differences, the Prometheus Operator objects, and what the network policies let
 * through (evaluated for the connections that matter, allowed and refused).
 */
class ManifestTest {

    private static final Path REPOSITORY = repository();
    private static final Path K8S = REPOSITORY.resolve("deploy").resolve("k8s");
    private static final Path SECRET_EXAMPLE = K8S.resolve("secret.example.yaml");
    private static final List<String> OVERLAYS = List.of("staging", "production");
    private static final String SECRET = "lunas-secrets";

    /** Parses as the API server would: an unknown field, or a number where text belongs (and back), fails. */
    private static final ObjectMapper STRICT = strictMapper();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1 Namespace", Namespace.class),
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("v1 Secret", Secret.class),
            Map.entry("v1 Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1 PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1 Deployment", Deployment.class),
            Map.entry("batch/v1 CronJob", CronJob.class),
            Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1 Ingress", Ingress.class),
            Map.entry("monitoring.coreos.com/v1 ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1 PrometheusRule", PrometheusRule.class));

    private static final Map<String, Render> RENDERS = new LinkedHashMap<>();

    /** One overlay, rendered and parsed. */
    record Render(String overlay, Kustomize.Build build, List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> found = all(type).stream().filter(object -> object.getMetadata().getName().equals(name)).toList();
            assertThat(found).as("%s: %s %s", overlay, type.getSimpleName(), name).hasSize(1);
            return found.get(0);
        }

        String namespace() {
            return all(Namespace.class).get(0).getMetadata().getName();
        }

        Map<String, String> config() {
            return one(ConfigMap.class, "lunas-config").getData();
        }
    }

    @BeforeAll
    static void render() {
        for (String overlay : OVERLAYS) {
            Kustomize.Build build = Kustomize.build(K8S.resolve("overlays").resolve(overlay));
            List<HasMetadata> objects = new ArrayList<>();
            for (Map<String, Object> object : build.objects()) {
                objects.add(parse(object));
            }
            RENDERS.put(overlay, new Render(overlay, build, objects));
        }
    }

    // --- rendering ---------------------------------------------------------------------------------------------

    @Test
    void everyOverlayRendersAndUsesEveryManifest() throws IOException {
        Set<Path> used = new TreeSet<>();
        RENDERS.values().forEach(render -> used.addAll(render.build().files()));
        Set<Path> manifests = new TreeSet<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            files.filter(file -> file.toString().endsWith(".yaml") && !file.equals(SECRET_EXAMPLE)).forEach(manifests::add);
        }
        // a manifest no overlay includes is never deployed (secret.example.yaml is a template, created by hand)
        assertThat(used).as("the files the overlays read").containsAll(manifests);
        for (Render render : RENDERS.values()) {
            assertThat(render.all(Namespace.class)).as("%s: its namespace", render.overlay()).hasSize(1);
            assertThat(render.objects()).as("%s: every object in the overlay's namespace", render.overlay())
                    .filteredOn(object -> !(object instanceof Namespace))
                    .allSatisfy(object -> assertThat(object.getMetadata().getNamespace()).isEqualTo(render.namespace()));
            assertThat(render.objects()).as("%s: every object labelled part-of lunas", render.overlay())
                    .allSatisfy(object -> assertThat(object.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "lunas"));
        }
        assertThat(RENDERS.get("staging").namespace()).isNotEqualTo(RENDERS.get("production").namespace());
    }

    @Test
    void theRendererAgreesWithKubectl() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed: the Java renderer is checked against it where it is");
        for (String overlay : OVERLAYS) {
            Path folder = K8S.resolve("overlays").resolve(overlay);
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", folder.toString()).redirectErrorStream(true).start();
            String output = new String(kubectl.getInputStream().readAllBytes());
            assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(kubectl.exitValue()).as("kubectl kustomize %s: %s", overlay, output).isZero();
            Map<String, Object> expected = new TreeMap<>();
            for (Object object : new Yaml().loadAll(output)) {
                expected.put(id(map(object)), object);
            }
            Map<String, Object> actual = new TreeMap<>();
            RENDERS.get(overlay).build().objects().forEach(object -> actual.put(id(object), object));
            assertThat(actual.keySet()).as("%s: the objects", overlay).isEqualTo(expected.keySet());
            expected.forEach((id, object) -> assertThat(actual.get(id)).as("%s: %s", overlay, id).isEqualTo(object));
        }
    }

    @Test
    void theRendererRefusesWhatItDoesNotRender(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  K: v\n");
        Path kustomization = folder.resolve("kustomization.yaml");

        Files.writeString(kustomization, "resources: [cm.yaml]\ncommonLabels:\n  a: b\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("'commonLabels' is not supported");

        Files.writeString(kustomization, "resources: [cm.yaml, missing.yaml]\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("missing.yaml does not exist");

        Files.writeString(kustomization, "resources: [cm.yaml]\npatches:\n  - patch: |\n      apiVersion: v1\n"
                + "      kind: ConfigMap\n      metadata:\n        name: other\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("matches no object");

        Files.writeString(kustomization, "resources: [cm.yaml]\npatches:\n  - patch: |\n      apiVersion: v1\n"
                + "      kind: ConfigMap\n      metadata:\n        name: c\n      data:\n        L: [1]\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("lists in a strategic merge patch are not supported");

        Files.writeString(kustomization, "resources: [cm.yaml]\nimages:\n  - name: x\n    digest: sha256:00\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("images[].digest is not supported");

        Files.writeString(kustomization, "resources: [cm.yaml]\npatches:\n  - target: {kind: ConfigMap, name: c}\n"
                + "    patch: |\n      - {op: test, path: /data/K, value: w}\n      - {op: replace, path: /data/K, value: x}\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("test /data/K: expected w, found v");

        Files.writeString(kustomization, "resources: [cm.yaml, cm.yaml]\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("two objects");

        Files.writeString(kustomization, "resources: [../outside.yaml]\n");
        Files.writeString(folder.resolveSibling("outside.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: o\n");
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("root-only load restriction");

        // kustomize's own name for a generated ConfigMap with X=1<&> (kubectl kustomize, v5.5.0): HTML escaping
        // and the empty name of its hash input matter
        Files.writeString(kustomization, "configMapGenerator:\n  - name: gen\n    literals: [\"X=1<&>\"]\n");
        assertThat(map(Kustomize.build(folder).objects().get(0).get("metadata")).get("name")).isEqualTo("gen-7hbgcmt2hc");
    }

    @Test
    void theParserRefusesWhatTheApiServerWouldRefuse() {
        Map<String, Object> probe = map(new Yaml().load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    spec:
                      containers:
                        - name: c
                          image: x:1
                          readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                """));
        assertThatThrownBy(() -> parse(probe)).hasMessageContaining("readinesProbe");
        Map<String, Object> number = map(new Yaml().load("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {PORT: 587}}"));
        assertThatThrownBy(() -> parse(number)).hasMessageContaining("PORT");
        Map<String, Object> unknown = map(new Yaml().load("{apiVersion: v1, kind: Pod, metadata: {name: p}}"));
        assertThatThrownBy(() -> parse(unknown)).hasMessageContaining("v1 Pod");
    }

    // --- containers --------------------------------------------------------------------------------------------

    @Test
    void everyContainerIsLimitedUnprivilegedAndPinned() {
        for (Render render : RENDERS.values()) {
            for (Map.Entry<String, PodSpec> pod : pods(render).entrySet()) {
                PodSpec spec = pod.getValue();
                assertThat(spec.getAutomountServiceAccountToken()).as("%s: automountServiceAccountToken", pod.getKey()).isFalse();
                Map<String, Volume> volumes = new HashMap<>();
                each(spec.getVolumes()).forEach(volume -> volumes.put(volume.getName(), volume));
                for (Container container : containers(spec)) {
                    String where = pod.getKey() + ", container " + container.getName();
                    Map<String, ?> requests = container.getResources().getRequests();
                    Map<String, ?> limits = container.getResources().getLimits();
                    assertThat(requests).as("%s: requests", where).containsKeys("cpu", "memory");
                    assertThat(limits).as("%s: limits", where).containsKey("memory");

                    PodSecurityContext podSecurity = Objects.requireNonNullElseGet(spec.getSecurityContext(), PodSecurityContext::new);
                    SecurityContext security = Objects.requireNonNullElseGet(container.getSecurityContext(), SecurityContext::new);
                    Boolean nonRoot = security.getRunAsNonRoot() != null ? security.getRunAsNonRoot() : podSecurity.getRunAsNonRoot();
                    Long user = security.getRunAsUser() != null ? security.getRunAsUser() : podSecurity.getRunAsUser();
                    assertThat(nonRoot).as("%s: runAsNonRoot", where).isTrue();
                    assertThat(user).as("%s: runAsUser", where).isNotNull().isPositive();
                    assertThat(security.getAllowPrivilegeEscalation()).as("%s: allowPrivilegeEscalation", where).isFalse();
                    assertThat(security.getCapabilities() == null ? List.<String>of() : each(security.getCapabilities().getDrop())).as("%s: capabilities dropped", where).contains("ALL");
                    assertThat(security.getReadOnlyRootFilesystem()).as("%s: readOnlyRootFilesystem", where).isTrue();

                    for (VolumeMount mount : each(container.getVolumeMounts())) {
                        assertThat(volumes).as("%s: the volume of %s", where, mount.getMountPath()).containsKey(mount.getName());
                    }
                    VolumeMount tmp = each(container.getVolumeMounts()).stream().filter(mount -> mount.getMountPath().equals("/tmp"))
                            .findFirst().orElseThrow(() -> new AssertionError(where + ": no writable /tmp beside its read-only root"));
                    assertThat(tmp.getReadOnly()).as("%s: /tmp read-only", where).isNotEqualTo(Boolean.TRUE);
                    Volume scratch = volumes.get(tmp.getName());
                    assertThat(scratch.getEmptyDir()).as("%s: /tmp is an emptyDir", where).isNotNull();
                    assertThat(scratch.getEmptyDir().getSizeLimit()).as("%s: /tmp's size limit", where).isNotNull();

                    String image = container.getImage();
                    String tag = image.substring(Kustomize.imageName(image).length());
                    assertThat(tag).as("%s: image %s pinned to a tag or digest", where, image).matches("(:[\\w][\\w.-]*)?(@sha256:[0-9a-f]{64})?")
                            .isNotEmpty().isNotEqualTo(":latest");
                }
            }
        }
    }

    @Test
    void everyServiceIsProbedOnItsOwnPort() {
        for (Render render : RENDERS.values()) {
            for (Service service : Service.values()) {
                String where = render.overlay() + ", " + service;
                int port = httpPort(service);
                Deployment deployment = render.one(Deployment.class, service.moduleName());
                Container container = container(deployment, service);
                ContainerPort http = each(container.getPorts()).stream().filter(p -> "http".equals(p.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(where + ": no port named http"));
                assertThat(http.getContainerPort()).as("%s: the container port (quarkus.http.port)", where).isEqualTo(port);

                assertProbe(where + ", startup", container.getStartupProbe(), "/q/health/started", container, port);
                assertProbe(where + ", liveness", container.getLivenessProbe(), "/q/health/live", container, port);
                assertProbe(where + ", readiness", container.getReadinessProbe(), "/q/health/ready", container, port);

                io.fabric8.kubernetes.api.model.Service api = render.one(io.fabric8.kubernetes.api.model.Service.class, service.moduleName());
                assertThat(api.getSpec().getSelector()).as("%s: the Service selects the pods", where)
                        .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
                assertThat(api.getSpec().getPorts()).as("%s: the Service's port", where).singleElement().satisfies(servicePort -> {
                    assertThat(servicePort.getName()).isEqualTo("http");
                    assertThat(servicePort.getPort()).isEqualTo(port);
                    assertThat(resolve(servicePort.getTargetPort(), container)).isEqualTo(port);
                });
                assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                        .as("%s: never fewer ready pods than wanted in a rollout", where).isEqualTo(new IntOrString(0));
            }
        }
    }

    // --- settings and secrets ------------------------------------------------------------------------------------

    @Test
    void everySecretKeyIsDocumentedInTheExample() throws IOException {
        Set<String> documented = map(load(SECRET_EXAMPLE).get(0).get("stringData")).keySet();
        Set<String> referenced = new TreeSet<>();
        for (Render render : RENDERS.values()) {
            for (Map.Entry<String, PodSpec> pod : pods(render).entrySet()) {
                for (Container container : containers(pod.getValue())) {
                    for (EnvVar variable : each(container.getEnv())) {
                        if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                            String where = render.overlay() + ", " + pod.getKey() + ", " + variable.getName();
                            assertThat(variable.getValueFrom().getSecretKeyRef().getName()).as("%s: the Secret", where).isEqualTo(SECRET);
                            assertThat(documented).as("%s: its key in secret.example.yaml", where)
                                    .contains(variable.getValueFrom().getSecretKeyRef().getKey());
                            if (render.overlay().equals("production")) {
                                referenced.add(variable.getValueFrom().getSecretKeyRef().getKey());
                            }
                        }
                    }
                    for (EnvFromSource source : each(container.getEnvFrom())) {
                        assertThat(source.getSecretRef()).as("%s: a whole Secret as variables", pod.getKey()).isNull();
                    }
                }
            }
            assertThat(render.all(Secret.class)).as("%s: no Secret is deployed from the repository", render.overlay()).isEmpty();
        }
        assertThat(referenced).as("the keys of secret.example.yaml that production uses").isEqualTo(documented);
    }

    @Test
    void kubernetesGivesEachServiceItsVariablesAndNoOthers() {
        for (Render render : RENDERS.values()) {
            Map<String, Set<Service>> configMapReaders = new HashMap<>();
            for (Service service : Service.values()) {
                String where = render.overlay() + ", " + service;
                Container container = container(render.one(Deployment.class, service.moduleName()), service);
                Set<String> direct = new LinkedHashSet<>();
                each(container.getEnv()).forEach(variable -> direct.add(variable.getName()));
                Set<String> given = new LinkedHashSet<>(direct);
                for (EnvFromSource source : each(container.getEnvFrom())) {
                    String name = source.getConfigMapRef().getName();
                    given.addAll(render.one(ConfigMap.class, name).getData().keySet());
                    configMapReaders.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(service);
                }
                assertThat(given).as("%s: its variables", where).containsAll(deployed(service));
                assertThat(notTaken(service, direct)).as("%s: variables it does not take", where).isEmpty();
            }
            // a config map serves several services: each of its settings must be taken by one of them
            configMapReaders.forEach((name, readers) -> {
                Set<String> takenByNone = new TreeSet<>(render.one(ConfigMap.class, name).getData().keySet());
                readers.forEach(reader -> takenByNone.retainAll(notTaken(reader, takenByNone)));
                assertThat(takenByNone).as("%s, config map %s: settings none of %s takes", render.overlay(), name, readers).isEmpty();
            });
        }
    }

    @Test
    void stagingUsesTheSandboxAndTheTestInboxAndProductionTheRealThing() {
        Map<String, String> staging = RENDERS.get("staging").config();
        assertThat(staging).containsEntry("MIDTRANS_SNAP_BASE_URL", "https://app.sandbox.midtrans.com")
                .containsEntry("MIDTRANS_API_BASE_URL", "https://api.sandbox.midtrans.com")
                // an empty WHATSAPP_API_URL switches the channel off (notification-service's application.properties)
                .containsEntry("WHATSAPP_API_URL", "");
        List<Pattern> approved = approvedRecipients(staging.get("QUARKUS_MAILER_APPROVED_RECIPIENTS"));
        assertThat(approved).as("staging's approved recipients").isNotEmpty();
        assertThat(approved(approved, "qa+order-17@shop.example.com")).isTrue();
        assertThat(approved(approved, "QA@Shop.Example.com")).isTrue();
        assertThat(approved(approved, staging.get("ALERT_EMAIL"))).as("staging's ALERT_EMAIL reaches the inbox").isTrue();
        assertThat(approved(approved, "budi@gmail.com")).isFalse();
        assertThat(approved(approved, "qa@shop.example.com.attacker.org")).isFalse();
        assertThat(approved(approved, "xqa@shop-example.com")).isFalse();

        Map<String, String> production = RENDERS.get("production").config();
        assertThat(production).containsEntry("MIDTRANS_SNAP_BASE_URL", "https://app.midtrans.com")
                .containsEntry("MIDTRANS_API_BASE_URL", "https://api.midtrans.com")
                .doesNotContainKey("QUARKUS_MAILER_APPROVED_RECIPIENTS");
        assertThat(production.get("WHATSAPP_API_URL")).startsWith("https://");

        // each environment talks to its own database and services: every host.<namespace>.svc names its own
        Pattern clusterHost = Pattern.compile("[a-z0-9-]+\\.([a-z0-9-]+)\\.svc\\b");
        for (Render render : RENDERS.values()) {
            List<String> values = new ArrayList<>(render.config().values());
            pods(render).values().forEach(pod -> containers(pod).forEach(container -> each(container.getEnv()).stream()
                    .map(EnvVar::getValue).filter(Objects::nonNull).forEach(values::add)));
            for (String value : values) {
                Matcher host = clusterHost.matcher(value);
                while (host.find()) {
                    assertThat(host.group(1)).as("%s: the namespace in %s", render.overlay(), value).isEqualTo(render.namespace());
                }
            }
        }
    }

    // --- scaling -----------------------------------------------------------------------------------------------

    @Test
    void everyServiceAutoscalesAndHasADisruptionBudget() {
        for (Render render : RENDERS.values()) {
            for (Deployment deployment : render.all(Deployment.class)) {
                String where = render.overlay() + ", " + deployment.getMetadata().getName();
                assertThat(deployment.getSpec().getReplicas()).as("%s: replicas left to the autoscaler", where).isNull();
                List<HorizontalPodAutoscaler> autoscalers = render.all(HorizontalPodAutoscaler.class).stream()
                        .filter(hpa -> hpa.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                                && hpa.getSpec().getScaleTargetRef().getName().equals(deployment.getMetadata().getName()))
                        .toList();
                assertThat(autoscalers).as("%s: its HorizontalPodAutoscaler", where).hasSize(1);
                HorizontalPodAutoscaler hpa = autoscalers.get(0);
                assertThat(hpa.getSpec().getMinReplicas()).as("%s: minReplicas", where)
                        .isGreaterThanOrEqualTo(render.overlay().equals("production") ? 2 : 1);
                assertThat(hpa.getSpec().getMaxReplicas()).as("%s: maxReplicas", where).isGreaterThanOrEqualTo(hpa.getSpec().getMinReplicas());
                assertThat(each(hpa.getSpec().getMetrics())).as("%s: scaled on CPU", where).extracting(MetricSpec::getResource)
                        .anySatisfy(metric -> assertThat(metric.getName()).isEqualTo("cpu"));
                containers(deployment.getSpec().getTemplate().getSpec()).forEach(container -> assertThat(
                        container.getResources().getRequests()).as("%s: a CPU request for the utilisation target", where).containsKey("cpu"));

                Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
                List<PodDisruptionBudget> budgets = render.all(PodDisruptionBudget.class).stream()
                        .filter(pdb -> selects(pdb.getSpec().getSelector(), podLabels)).toList();
                assertThat(budgets).as("%s: its PodDisruptionBudget", where).singleElement()
                        .satisfies(pdb -> assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1)));
            }
        }
    }

    // --- monitoring --------------------------------------------------------------------------------------------

    @Test
    void productionScrapesTheServicesAndLoadsTheRulesThroughTheOperator() {
        Render production = RENDERS.get("production");
        ServiceMonitor monitor = production.one(ServiceMonitor.class, "lunas");
        for (Service service : Service.values()) {
            io.fabric8.kubernetes.api.model.Service api = production.one(io.fabric8.kubernetes.api.model.Service.class, service.moduleName());
            assertThat(selects(monitor.getSpec().getSelector(), api.getMetadata().getLabels())).as("the ServiceMonitor selects %s", service).isTrue();
            for (Endpoint endpoint : each(monitor.getSpec().getEndpoints())) {
                assertThat(api.getSpec().getPorts()).as("%s: the scraped port %s", service, endpoint.getPort())
                        .anySatisfy(port -> assertThat(port.getName()).isEqualTo(endpoint.getPort()));
                assertThat(endpoint.getPath()).isEqualTo("/q/metrics");
            }
            assertThat(api.getMetadata().getLabels()).as("%s: the job label", service).containsKey(monitor.getSpec().getJobLabel());
        }
        assertThat(production.one(PrometheusRule.class, "lunas").getSpec().getGroups()).isNotEmpty();
        assertThat(production.one(ConfigMap.class, "lunas-prometheus-rules").getData()).containsKey("alerts.yaml");
    }

    // --- network -----------------------------------------------------------------------------------------------

    @Test
    void onlyTheStorefrontApiAndTheWebhookAreExposed() {
        for (Render render : RENDERS.values()) {
            Set<String> exposed = new TreeSet<>();
            for (Ingress ingress : render.all(Ingress.class)) {
                for (IngressRule rule : each(ingress.getSpec().getRules())) {
                    for (HTTPIngressPath path : each(rule.getHttp().getPaths())) {
                        exposed.add(path.getPath() + " " + path.getPathType() + " -> " + path.getBackend().getService().getName());
                    }
                }
            }
            assertThat(exposed).as("%s: the ingress", render.overlay())
                    .containsExactlyInAnyOrder("/api/ Prefix -> order-service", "/webhooks/midtrans Exact -> payment-service");
        }
    }

    @Test
    void networkPoliciesLetThroughOnlyWhatTheServicesNeed() {
        for (Render render : RENDERS.values()) {
            Network network = new Network(render.namespace(), render.all(NetworkPolicy.class));
            String ns = render.namespace();
            Pod order = new Pod(ns, Map.of("app.kubernetes.io/name", "order-service"), "10.1.0.1");
            Pod payment = new Pod(ns, Map.of("app.kubernetes.io/name", "payment-service"), "10.1.0.2");
            Pod notification = new Pod(ns, Map.of("app.kubernetes.io/name", "notification-service"), "10.1.0.3");
            Pod backup = new Pod(ns, Map.of("app.kubernetes.io/name", "lunas-backup"), "10.1.0.4");
            Pod database = new Pod(ns, Map.of("app.kubernetes.io/name", "postgres"), "10.1.0.5");
            Pod stranger = new Pod(ns, Map.of("app.kubernetes.io/name", "debug"), "10.1.0.6");
            Pod ingress = new Pod("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"), "10.2.0.1");
            Pod prometheus = new Pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus"), "10.3.0.1");
            Pod dns = new Pod("kube-system", Map.of("k8s-app", "kube-dns"), "10.4.0.1");
            Pod apiServerProxy = new Pod("kube-system", Map.of("k8s-app", "kube-proxy"), "10.4.0.2");
            Pod otherNamespace = new Pod("default", Map.of("app.kubernetes.io/name", "order-service"), "10.5.0.1");
            Map<Pod, Integer> services = Map.of(order, httpPort(Service.ORDER), payment, httpPort(Service.PAYMENT),
                    notification, httpPort(Service.NOTIFICATION));
            String where = render.overlay();
            String internet = "203.0.113.10";
            int smtp = Integer.parseInt(render.config().get("QUARKUS_MAILER_PORT"));

            // peers: order-service calls payment-service, notification-service relays results to order-service
            Set<String> peers = new TreeSet<>();
            List<Pod> ours = List.of(order, payment, notification, backup);
            for (Pod from : ours) {
                for (Map.Entry<Pod, Integer> to : services.entrySet()) {
                    if (from != to.getKey() && network.allows(from, to.getKey(), "TCP", to.getValue())) {
                        peers.add(from.name() + " -> " + to.getKey().name());
                    }
                }
            }
            assertThat(peers).as("%s: the calls between pods", where)
                    .containsExactlyInAnyOrder("order-service -> payment-service", "notification-service -> order-service");
            for (Pod from : ours) {
                assertThat(network.allows(from, database, "TCP", 5432)).as("%s: %s -> database", where, from.name()).isTrue();
                assertThat(network.allows(from, dns, "UDP", 53)).as("%s: %s -> DNS", where, from.name()).isTrue();
                assertThat(network.allows(from, apiServerProxy, "UDP", 53)).as("%s: %s -> kube-system beyond DNS", where, from.name()).isFalse();
                assertThat(network.allows(from, database, "TCP", 22)).as("%s: %s -> database:22", where, from.name()).isFalse();
            }
            // from outside the namespace: the ingress controller to the two exposed services, Prometheus to all three
            for (Map.Entry<Pod, Integer> to : services.entrySet()) {
                boolean exposed = to.getKey() != notification;
                assertThat(network.allows(ingress, to.getKey(), "TCP", to.getValue())).as("%s: ingress -> %s", where, to.getKey().name()).isEqualTo(exposed);
                assertThat(network.allows(prometheus, to.getKey(), "TCP", to.getValue())).as("%s: Prometheus -> %s", where, to.getKey().name()).isTrue();
                assertThat(network.allows(stranger, to.getKey(), "TCP", to.getValue())).as("%s: another pod -> %s", where, to.getKey().name()).isFalse();
                assertThat(network.allows(otherNamespace, to.getKey(), "TCP", to.getValue())).as("%s: another namespace -> %s", where, to.getKey().name()).isFalse();
                assertThat(network.allows(ingress, to.getKey(), "TCP", 9000)).as("%s: ingress -> %s:9000", where, to.getKey().name()).isFalse();
            }
            // the external APIs: Midtrans for payment-service, SMTP and WhatsApp for notification-service, nothing else
            assertThat(network.allowsOut(payment, internet, "TCP", 443)).as("%s: payment-service -> Midtrans", where).isTrue();
            assertThat(network.allowsOut(notification, internet, "TCP", smtp)).as("%s: notification-service -> SMTP :%s", where, smtp).isTrue();
            assertThat(network.allowsOut(notification, internet, "TCP", 443)).as("%s: notification-service -> WhatsApp", where).isTrue();
            assertThat(network.allowsOut(order, internet, "TCP", 443)).as("%s: order-service -> internet", where).isFalse();
            assertThat(network.allowsOut(backup, internet, "TCP", 443)).as("%s: backup -> internet", where).isFalse();
            assertThat(network.allowsOut(payment, internet, "TCP", 80)).as("%s: payment-service -> internet:80", where).isFalse();
            assertThat(network.allowsOut(payment, internet, "TCP", smtp)).as("%s: payment-service -> SMTP", where).isFalse();
            for (String inside : List.of("10.9.8.7", "172.20.0.1", "192.168.1.1", "169.254.169.254")) {
                assertThat(network.allowsOut(payment, inside, "TCP", 443)).as("%s: payment-service -> %s (cluster or cloud)", where, inside).isFalse();
                assertThat(network.allowsOut(notification, inside, "TCP", 443)).as("%s: notification-service -> %s", where, inside).isFalse();
            }
        }
    }

    /** A pod of the model network: its namespace, labels and address. */
    record Pod(String namespace, Map<String, String> labels, String ip) {
        String name() {
            return labels.values().iterator().next();
        }
    }

    /**
     * The network policies of one namespace as Kubernetes applies them: a pod selected by no policy of a direction is
     * open in it; a selected one admits only what one of its policies' rules allows; a connection needs the sender's
     * egress and the receiver's ingress (a receiver outside the namespace is not ours to judge, so only egress
     * counts for it). Only the policy features deploy/k8s uses are modelled; the rest fails.
     */
    record Network(String namespace, List<NetworkPolicy> policies) {

        boolean allows(Pod from, Pod to, String protocol, int port) {
            boolean out = !from.namespace().equals(namespace) || permits(from, "Egress", to, to.ip(), protocol, port);
            boolean in = !to.namespace().equals(namespace) || permits(to, "Ingress", from, from.ip(), protocol, port);
            return out && in;
        }

        boolean allowsOut(Pod from, String ip, String protocol, int port) {
            return permits(from, "Egress", null, ip, protocol, port);
        }

        private boolean permits(Pod pod, String direction, Pod peer, String peerIp, String protocol, int port) {
            List<NetworkPolicy> selecting = policies.stream()
                    .filter(policy -> selects(policy.getSpec().getPodSelector(), pod.labels()))
                    .filter(policy -> types(policy).contains(direction)).toList();
            if (selecting.isEmpty()) {
                return true;
            }
            for (NetworkPolicy policy : selecting) {
                boolean ingress = direction.equals("Ingress");
                int rules = ingress ? each(policy.getSpec().getIngress()).size() : each(policy.getSpec().getEgress()).size();
                for (int i = 0; i < rules; i++) {
                    List<NetworkPolicyPeer> peers = each(ingress ? policy.getSpec().getIngress().get(i).getFrom() : policy.getSpec().getEgress().get(i).getTo());
                    List<NetworkPolicyPort> ports = each(ingress ? policy.getSpec().getIngress().get(i).getPorts() : policy.getSpec().getEgress().get(i).getPorts());
                    boolean peerMatches = peers.isEmpty() || peers.stream().anyMatch(p -> matches(p, peer, peerIp));
                    boolean portMatches = ports.isEmpty() || ports.stream().anyMatch(p -> matches(p, protocol, port));
                    if (peerMatches && portMatches) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static List<String> types(NetworkPolicy policy) {
            assertThat(policy.getSpec().getPolicyTypes()).as("policy %s: policyTypes spelled out", policy.getMetadata().getName()).isNotEmpty();
            return each(policy.getSpec().getPolicyTypes());
        }

        private boolean matches(NetworkPolicyPeer rule, Pod peer, String ip) {
            if (rule.getIpBlock() != null) {
                IPBlock block = rule.getIpBlock();
                return within(ip, block.getCidr()) && each(block.getExcept()).stream().noneMatch(except -> within(ip, except));
            }
            if (peer == null) {
                return false;
            }
            if (rule.getNamespaceSelector() == null && !peer.namespace().equals(namespace)) {
                return false;
            }
            if (rule.getNamespaceSelector() != null
                    && !selects(rule.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", peer.namespace()))) {
                return false;
            }
            return rule.getPodSelector() == null || selects(rule.getPodSelector(), peer.labels());
        }

        private static boolean matches(NetworkPolicyPort rule, String protocol, int port) {
            assertThat(rule.getEndPort()).as("port ranges are not modelled").isNull();
            assertThat(rule.getPort() == null || rule.getPort().getIntVal() != null).as("named ports are not modelled").isTrue();
            return Objects.requireNonNullElse(rule.getProtocol(), "TCP").equals(protocol)
                    && (rule.getPort() == null || rule.getPort().getIntVal() == port);
        }

        private static boolean within(String ip, String cidr) {
            try {
                String[] parts = cidr.split("/");
                byte[] address = InetAddress.getByName(ip).getAddress();
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int bits = Integer.parseInt(parts[1]);
                for (int i = 0; i < bits; i++) {
                    int mask = 0x80 >> (i % 8);
                    if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // the model classes keep unknown fields in additionalProperties; the API server refuses them
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated annotated) {
                        return null;
                    }
                })
                .build();
        for (LogicalType type : List.of(LogicalType.Textual)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }

    private static HasMetadata parse(Map<String, Object> object) {
        String kind = object.get("apiVersion") + " " + object.get("kind");
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
            throw new AssertionError("The manifest test does not know the kind " + kind + " (" + id(object) + "); add it to KINDS");
        }
        try {
            return STRICT.convertValue(object, type);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(id(object) + " does not parse as " + kind + ": " + e.getMessage(), e);
        }
    }

    private static String id(Map<String, Object> object) {
        Map<String, Object> metadata = map(object.get("metadata"));
        return object.get("kind") + " " + Objects.requireNonNullElse(metadata.get("namespace"), "") + "/" + metadata.get("name");
    }

    /** Every pod template of the render (Deployments, CronJobs) by "Kind name". */
    private static Map<String, PodSpec> pods(Render render) {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        render.all(Deployment.class).forEach(d -> pods.put(render.overlay() + ", Deployment " + d.getMetadata().getName(),
                d.getSpec().getTemplate().getSpec()));
        render.all(CronJob.class).forEach(c -> pods.put(render.overlay() + ", CronJob " + c.getMetadata().getName(),
                c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()));
        return pods;
    }

    private static List<Container> containers(PodSpec pod) {
        List<Container> containers = new ArrayList<>(each(pod.getInitContainers()));
        containers.addAll(each(pod.getContainers()));
        return containers;
    }

    private static Container container(Deployment deployment, Service service) {
        return each(deployment.getSpec().getTemplate().getSpec().getContainers()).stream()
                .filter(container -> container.getName().equals(service.moduleName())).findFirst()
                .orElseThrow(() -> new AssertionError(deployment.getMetadata().getName() + " has no container " + service));
    }

    private static void assertProbe(String where, Probe probe, String path, Container container, int port) {
        assertThat(probe).as(where).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as("%s: an HTTP GET", where).isNotNull();
        assertThat(get.getPath()).as("%s: its path", where).isEqualTo(path);
        assertThat(resolve(get.getPort(), container)).as("%s: its port", where).isEqualTo(port);
    }

    /** A port number or the name of one of the container's ports, as a number. */
    private static int resolve(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return each(container.getPorts()).stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()));
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        for (var expression : each(selector.getMatchExpressions())) {
            String value = labels.get(expression.getKey());
            boolean ok = switch (expression.getOperator()) {
                case "In" -> value != null && expression.getValues().contains(value);
                case "NotIn" -> value == null || !expression.getValues().contains(value);
                case "Exists" -> labels.containsKey(expression.getKey());
                case "DoesNotExist" -> !labels.containsKey(expression.getKey());
                default -> throw new AssertionError("Unknown operator " + expression.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return Objects.requireNonNullElse(selector.getMatchLabels(), Map.<String, String>of()).entrySet().stream()
                .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
    }

    /** quarkus.mailer.approved-recipients as the service reads it: split as a list setting, trimmed, any case. */
    private static List<Pattern> approvedRecipients(String setting) {
        if (setting == null) {
            return List.of();
        }
        return Arrays.stream(StringUtil.split(setting)).map(String::trim).filter(s -> !s.isEmpty())
                .map(pattern -> Pattern.compile(pattern, Pattern.CASE_INSENSITIVE)).toList();
    }

    private static boolean approved(List<Pattern> patterns, String address) {
        return patterns.stream().anyMatch(pattern -> pattern.matcher(address).matches());
    }

    /** The variables every deployment must give the service ({@link ServiceVariable.Need#DEPLOYED}). */
    static Set<String> deployed(Service service) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(ServiceVariable.values())
                .filter(variable -> variable.need() == ServiceVariable.Need.DEPLOYED && variable.takenBy(service))
                .forEach(variable -> names.add(variable.name()));
        return names;
    }

    /** The Lunas and Quarkus settings (and the other names the list knows) among {@code names} the service does not take. */
    static Set<String> notTaken(Service service, Set<String> names) {
        Set<String> wrong = new TreeSet<>();
        for (String name : names) {
            try {
                ServiceVariable.requireTakenBy(service, name);
            } catch (LaunchException e) {
                wrong.add(name);
            }
        }
        return wrong;
    }

    /** A list of a parsed object: the model leaves an absent one null. */
    private static <T> List<T> each(List<T> items) {
        return items == null ? List.of() : items;
    }

    private static boolean onPath(String command) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        return Arrays.stream(path.split(":")).anyMatch(folder -> Files.isExecutable(Path.of(folder, command)));
    }
}
