package dev.lunas.launcher.run;

import static dev.lunas.launcher.run.RepositoryFiles.list;
import static dev.lunas.launcher.run.RepositoryFiles.map;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code kustomize build} (what {@code kubectl kustomize} and {@code kubectl apply -k} run) for the part of
 * kustomize that deploy/k8s uses, so the manifest test renders the overlays without kubectl: {@code resources}
 * (files and folders), {@code namespace}, {@code labels} (metadata only), {@code images} ({@code newName},
 * {@code newTag}), {@code patches} (strategic merges of mappings, and JSON patches with a target: add, replace, remove, test) and
 * {@code configMapGenerator} ({@code files}, {@code literals}; the name suffix hash as kustomize computes it, and
 * the references to it in pod templates). Anything else, and anything kustomize itself refuses that this class can
 * tell (a file outside its kustomization's folder, a patch that matches nothing, two objects with one name), fails
 * the build with the file and the field: it never renders silently wrong. ManifestTest compares the result with
 * {@code kubectl kustomize} where kubectl is installed.
 */
final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "resources", "labels", "images",
            "patches", "configMapGenerator", "generatorOptions");
    /** Kinds without a namespace that may appear; any other kind gets the kustomization's namespace. */
    private static final Set<String> CLUSTER_KINDS = Set.of("Namespace", "ClusterRole", "CustomResourceDefinition",
            "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass");
    /** Kinds whose references to other namespaces kustomize rewrites and this class does not. */
    private static final Set<String> UNSUPPORTED_KINDS = Set.of("RoleBinding", "ClusterRoleBinding",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService");

    /** The objects of a build, in kustomize's order, and every file it read. */
    record Build(List<Map<String, Object>> objects, Set<Path> files) {
    }

    /** One object being built; {@code hashed} when a generator made it and its name gets the content hash. */
    private static final class Resource {
        final Map<String, Object> body;
        final boolean hashed;

        Resource(Map<String, Object> body, boolean hashed) {
            this.body = body;
            this.hashed = hashed;
        }

        String kind() {
            return (String) body.get("kind");
        }

        Map<String, Object> metadata() {
            return map(body.get("metadata"));
        }

        String name() {
            return (String) metadata().get("name");
        }

        String namespace() {
            return (String) metadata().get("namespace");
        }

        String id() {
            return body.get("apiVersion") + " " + kind() + " " + Objects.requireNonNullElse(namespace(), "") + "/" + name();
        }
    }

    private final Set<Path> files = new LinkedHashSet<>();

    private Kustomize() {
    }

    /** Builds the kustomization in {@code folder}, as {@code kubectl kustomize folder} does. */
    static Build build(Path folder) {
        Kustomize kustomize = new Kustomize();
        List<Resource> resources = kustomize.accumulate(folder.toAbsolutePath().normalize());
        nameGenerated(resources);
        List<Map<String, Object>> objects = new ArrayList<>();
        resources.forEach(resource -> objects.add(resource.body));
        return new Build(objects, kustomize.files);
    }

    private List<Resource> accumulate(Path folder) {
        Path file = folder.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw fail(folder, "no kustomization.yaml (this renderer reads no other name)");
        }
        List<Object> documents = yaml(file);
        if (documents.size() != 1 || !(documents.get(0) instanceof Map<?, ?>)) {
            throw fail(file, "not one YAML mapping");
        }
        Map<String, Object> kustomization = map(documents.get(0));
        for (String field : kustomization.keySet()) {
            if (!FIELDS.contains(field)) {
                throw fail(file, "the field '" + field + "' is not supported by this renderer (supported: " + FIELDS + ")");
            }
        }
        Object kind = kustomization.getOrDefault("kind", "Kustomization");
        if (!"Kustomization".equals(kind)) {
            throw fail(file, "kind " + kind + " is not supported");
        }

        List<Resource> resources = new ArrayList<>();
        for (Object entry : strings(file, kustomization, "resources")) {
            String reference = (String) entry;
            if (reference.contains("://") || reference.startsWith("git@")) {
                throw fail(file, "remote resource " + reference + " is not supported");
            }
            Path path = folder.resolve(reference).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(accumulate(path));
            } else if (Files.isRegularFile(path)) {
                requireInside(file, folder, path);
                for (Object document : yaml(path)) {
                    resources.add(new Resource(object(path, document), false));
                }
            } else {
                throw fail(file, "resource " + reference + " does not exist");
            }
        }
        resources.addAll(generate(file, folder, kustomization));
        requireUnique(file, resources);

        for (Object entry : list(kustomization.get("patches"))) {
            patch(file, folder, map(entry), resources);
        }
        if (kustomization.containsKey("namespace")) {
            namespace(file, (String) kustomization.get("namespace"), resources);
        }
        for (Object entry : list(kustomization.get("labels"))) {
            labels(file, map(entry), resources);
        }
        for (Object entry : list(kustomization.get("images"))) {
            images(file, map(entry), resources);
        }
        requireUnique(file, resources);
        return resources;
    }

    // --- generators --------------------------------------------------------------------------------------------

    private List<Resource> generate(Path file, Path folder, Map<String, Object> kustomization) {
        Map<String, Object> options = map(kustomization.get("generatorOptions"));
        for (String option : options.keySet()) {
            if (!option.equals("disableNameSuffixHash")) {
                throw fail(file, "generatorOptions." + option + " is not supported");
            }
        }
        boolean hashed = !Boolean.TRUE.equals(options.get("disableNameSuffixHash"));
        List<Resource> generated = new ArrayList<>();
        for (Object entry : list(kustomization.get("configMapGenerator"))) {
            Map<String, Object> generator = map(entry);
            for (String field : generator.keySet()) {
                if (!Set.of("name", "files", "literals").contains(field)) {
                    throw fail(file, "configMapGenerator." + field + " is not supported");
                }
            }
            Map<String, Object> data = new TreeMap<>();
            for (Object source : strings(file, generator, "files")) {
                String[] keyAndPath = ((String) source).split("=", 2);
                Path path = folder.resolve(keyAndPath[keyAndPath.length - 1]).normalize();
                requireInside(file, folder, path);
                String key = keyAndPath.length == 2 ? keyAndPath[0] : path.getFileName().toString();
                put(file, data, key, text(path));
            }
            for (Object literal : strings(file, generator, "literals")) {
                String[] keyAndValue = ((String) literal).split("=", 2);
                if (keyAndValue.length != 2 || keyAndValue[1].startsWith("\"") || keyAndValue[1].startsWith("'")) {
                    throw fail(file, "literal " + literal + " is not KEY=value (quoted values are not supported)");
                }
                put(file, data, keyAndValue[0], keyAndValue[1]);
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("name", Objects.requireNonNull((String) generator.get("name"), "configMapGenerator without a name"));
            Map<String, Object> configMap = new LinkedHashMap<>();
            configMap.put("apiVersion", "v1");
            configMap.put("kind", "ConfigMap");
            configMap.put("metadata", metadata);
            configMap.put("data", new LinkedHashMap<>(data));
            generated.add(new Resource(configMap, hashed));
        }
        return generated;
    }

    private static void put(Path file, Map<String, Object> data, String key, String value) {
        if (data.put(key, value) != null) {
            throw fail(file, "the generated key " + key + " is given twice");
        }
    }

    /** Gives generated ConfigMaps kustomize's content hash suffix and points the pod templates' references to it. */
    private static void nameGenerated(List<Resource> resources) {
        Map<String, String> renamed = new LinkedHashMap<>();
        for (Resource resource : resources) {
            if (resource.hashed) {
                String name = resource.name() + "-" + hash(resource.body);
                renamed.put(resource.namespace() + "/" + resource.name(), name);
                resource.metadata().put("name", name);
            }
        }
        if (renamed.isEmpty()) {
            return;
        }
        for (Resource resource : resources) {
            for (Map<String, Object> pod : podSpecs(resource.body)) {
                for (Object volume : list(pod.get("volumes"))) {
                    rename(map(map(volume).get("configMap")), resource, renamed);
                    for (Object source : list(map(map(volume).get("projected")).get("sources"))) {
                        rename(map(map(source).get("configMap")), resource, renamed);
                    }
                }
                for (String containers : List.of("containers", "initContainers")) {
                    for (Object container : list(pod.get(containers))) {
                        for (Object from : list(map(container).get("envFrom"))) {
                            rename(map(map(from).get("configMapRef")), resource, renamed);
                        }
                        for (Object variable : list(map(container).get("env"))) {
                            rename(map(map(map(variable).get("valueFrom")).get("configMapKeyRef")), resource, renamed);
                        }
                    }
                }
            }
        }
    }

    private static void rename(Map<String, Object> reference, Resource holder, Map<String, String> renamed) {
        String name = renamed.get(holder.namespace() + "/" + reference.get("name"));
        if (name != null) {
            reference.put("name", name);
        }
    }

    /**
     * kustomize's ConfigMap hash (api/hasher): the SHA-256 of Go's JSON of {data, kind, name} with sorted keys, the
     * first 10 hex digits with 0, 1, 3, a, e replaced by g, h, k, m, t. Its name lookup finds nothing (it asks for
     * a field called "metadata/name"), so the name is always "".
     */
    static String hash(Map<String, Object> configMap) {
        if (configMap.containsKey("binaryData")) {
            throw new IllegalStateException("binaryData in a generated ConfigMap is not supported");
        }
        StringBuilder json = new StringBuilder("{\"data\":{");
        String separator = "";
        for (Map.Entry<String, Object> entry : new TreeMap<>(map(configMap.get("data"))).entrySet()) {
            json.append(separator).append(goJson(entry.getKey())).append(':').append(goJson((String) entry.getValue()));
            separator = ",";
        }
        json.append("},\"kind\":\"ConfigMap\",\"name\":\"\"}");
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.toString().getBytes(StandardCharsets.UTF_8)));
            StringBuilder encoded = new StringBuilder();
            for (char c : hex.substring(0, 10).toCharArray()) {
                encoded.append(switch (c) {
                    case '0' -> 'g';
                    case '1' -> 'h';
                    case '3' -> 'k';
                    case 'a' -> 'm';
                    case 'e' -> 't';
                    default -> c;
                });
            }
            return encoded.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A string as Go's encoding/json writes it (HTML characters escaped as well). */
    private static String goJson(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // --- transformers ------------------------------------------------------------------------------------------

    private void patch(Path file, Path folder, Map<String, Object> entry, List<Resource> resources) {
        for (String field : entry.keySet()) {
            if (!Set.of("path", "patch", "target").contains(field)) {
                throw fail(file, "patches[]." + field + " is not supported");
            }
        }
        String text;
        Path source = file;
        if (entry.get("path") instanceof String reference) {
            source = folder.resolve(reference).normalize();
            requireInside(file, folder, source);
            text = text(source);
        } else if (entry.get("patch") instanceof String inline) {
            text = inline;
        } else {
            throw fail(file, "a patch needs path or patch");
        }
        List<Object> documents = new ArrayList<>();
        new Yaml().loadAll(text).forEach(document -> {
            if (document != null) {
                documents.add(document);
            }
        });
        if (documents.size() == 1 && documents.get(0) instanceof List<?> operations) {
            Map<String, Object> target = map(entry.get("target"));
            if (target.isEmpty()) {
                throw fail(source, "a JSON patch needs a target");
            }
            for (String field : target.keySet()) {
                if (!Set.of("group", "version", "kind", "name", "namespace").contains(field)) {
                    throw fail(file, "patch target field " + field + " is not supported");
                }
            }
            for (Resource resource : matching(source, resources, target)) {
                for (Object operation : operations) {
                    jsonPatch(source, resource.body, map(operation));
                }
            }
            return;
        }
        if (entry.containsKey("target")) {
            throw fail(file, "a strategic merge patch with a target is not supported: its object names its target");
        }
        for (Object document : documents) {
            Map<String, Object> patch = object(source, document);
            Map<String, Object> target = new LinkedHashMap<>();
            String[] groupVersion = ((String) patch.get("apiVersion")).split("/");
            target.put("group", groupVersion.length == 2 ? groupVersion[0] : "");
            target.put("version", groupVersion[groupVersion.length - 1]);
            target.put("kind", patch.get("kind"));
            target.put("name", map(patch.get("metadata")).get("name"));
            if (map(patch.get("metadata")).containsKey("namespace")) {
                target.put("namespace", map(patch.get("metadata")).get("namespace"));
            }
            List<Resource> matches = matching(source, resources, target);
            if (matches.size() != 1) {
                throw fail(source, "the patch of " + target + " matches " + matches.size() + " objects");
            }
            merge(source, "", matches.get(0).body, patch);
        }
    }

    private static List<Resource> matching(Path source, List<Resource> resources, Map<String, Object> target) {
        List<Resource> matches = new ArrayList<>();
        for (Resource resource : resources) {
            String[] groupVersion = ((String) resource.body.get("apiVersion")).split("/");
            String group = groupVersion.length == 2 ? groupVersion[0] : "";
            String version = groupVersion[groupVersion.length - 1];
            if (matches(target.get("group"), group) && matches(target.get("version"), version)
                    && matches(target.get("kind"), resource.kind()) && matches(target.get("name"), resource.name())
                    && matches(target.get("namespace"), resource.namespace())) {
                matches.add(resource);
            }
        }
        if (matches.isEmpty()) {
            throw fail(source, "the patch's target " + target + " matches no object");
        }
        return matches;
    }

    private static boolean matches(Object wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    /** A strategic merge of mappings: keys merge, a null deletes; lists and $-directives are refused. */
    private static void merge(Path source, String path, Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            String key = entry.getKey();
            String at = path + "/" + key;
            if (key.startsWith("$")) {
                throw fail(source, "the directive " + at + " is not supported");
            }
            Object value = entry.getValue();
            if (value == null) {
                target.remove(key);
            } else if (value instanceof List<?>) {
                throw fail(source, at + ": lists in a strategic merge patch are not supported; use a JSON patch");
            } else if (value instanceof Map<?, ?> && target.get(key) instanceof Map<?, ?>) {
                merge(source, at, map(target.get(key)), map(value));
            } else {
                target.put(key, copy(value));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void jsonPatch(Path source, Map<String, Object> object, Map<String, Object> operation) {
        for (String field : operation.keySet()) {
            if (!Set.of("op", "path", "value").contains(field)) {
                throw fail(source, "JSON patch field " + field + " is not supported");
            }
        }
        String op = (String) operation.get("op");
        String path = (String) operation.get("path");
        if (!Set.of("add", "replace", "remove", "test").contains(op) || path == null || !path.startsWith("/")) {
            throw fail(source, "JSON patch operation " + operation + " is not supported");
        }
        List<String> tokens = new ArrayList<>();
        for (String token : path.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        Object parent = object;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent = child(source, path, parent, token);
        }
        String last = tokens.get(tokens.size() - 1);
        if (op.equals("test")) {
            // guards a patch by position: the value there must be the one the patch expects
            Object actual = child(source, path, parent, last);
            if (!Objects.equals(actual, operation.get("value"))) {
                throw fail(source, "test " + path + ": expected " + operation.get("value") + ", found " + actual);
            }
            return;
        }
        if (parent instanceof Map<?, ?> mapping) {
            Map<String, Object> fields = (Map<String, Object>) mapping;
            if (!op.equals("add") && !fields.containsKey(last)) {
                throw fail(source, op + " " + path + ": no such field");
            }
            if (op.equals("remove")) {
                fields.remove(last);
            } else {
                fields.put(last, copy(operation.get("value")));
            }
        } else if (parent instanceof List<?> sequence) {
            List<Object> items = (List<Object>) sequence;
            if (op.equals("add") && last.equals("-")) {
                items.add(copy(operation.get("value")));
                return;
            }
            int index = index(source, path, items, last, op.equals("add"));
            switch (op) {
                case "add" -> items.add(index, copy(operation.get("value")));
                case "replace" -> items.set(index, copy(operation.get("value")));
                default -> items.remove(index);
            }
        } else {
            throw fail(source, op + " " + path + ": the parent is not a mapping or a list");
        }
    }

    private static Object child(Path source, String path, Object parent, String token) {
        if (parent instanceof Map<?, ?> mapping && mapping.containsKey(token)) {
            return mapping.get(token);
        }
        if (parent instanceof List<?> items) {
            return items.get(index(source, path, items, token, false));
        }
        throw fail(source, path + ": no " + token);
    }

    private static int index(Path source, String path, List<?> items, String token, boolean end) {
        try {
            int index = Integer.parseInt(token);
            if (index < 0 || index > items.size() || (index == items.size() && !end)) {
                throw fail(source, path + ": index " + index + " out of range");
            }
            return index;
        } catch (NumberFormatException e) {
            throw fail(source, path + ": " + token + " is not a list index");
        }
    }

    private static void namespace(Path file, String namespace, List<Resource> resources) {
        if (resources.stream().filter(resource -> "Namespace".equals(resource.kind())).count() > 1) {
            throw fail(file, "more than one Namespace with a namespace transformer is not supported");
        }
        for (Resource resource : resources) {
            if (UNSUPPORTED_KINDS.contains(resource.kind())) {
                throw fail(file, resource.kind() + " with a namespace transformer is not supported");
            }
            if ("Namespace".equals(resource.kind())) {
                // kustomize names the Namespace object after the namespace it sets
                resource.metadata().put("name", namespace);
            } else if (!CLUSTER_KINDS.contains(resource.kind())) {
                resource.metadata().put("namespace", namespace);
            }
        }
    }

    private static void labels(Path file, Map<String, Object> entry, List<Resource> resources) {
        for (String field : entry.keySet()) {
            boolean off = (field.equals("includeSelectors") || field.equals("includeTemplates"))
                    && Boolean.FALSE.equals(entry.get(field));
            if (!field.equals("pairs") && !off) {
                throw fail(file, "labels[]." + field + " is not supported (only pairs, on metadata)");
            }
        }
        for (Resource resource : resources) {
            Map<String, Object> labels = new LinkedHashMap<>(map(resource.metadata().get("labels")));
            map(entry.get("pairs")).forEach((key, value) -> labels.put(key, String.valueOf(value)));
            resource.metadata().put("labels", labels);
        }
    }

    private static void images(Path file, Map<String, Object> entry, List<Resource> resources) {
        for (String field : entry.keySet()) {
            if (!Set.of("name", "newName", "newTag").contains(field)) {
                throw fail(file, "images[]." + field + " is not supported");
            }
        }
        String name = (String) entry.get("name");
        for (Resource resource : resources) {
            images(resource.body, container -> {
                String image = (String) container.get("image");
                if (image == null || !imageName(image).equals(name)) {
                    return;
                }
                String newName = (String) entry.getOrDefault("newName", name);
                Object newTag = entry.get("newTag");
                String tag = image.substring(imageName(image).length());
                container.put("image", newName + (newTag != null ? ":" + newTag : tag));
            });
        }
    }

    /** The image reference without its tag or digest. */
    static String imageName(String image) {
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    private interface ContainerVisitor {
        void visit(Map<String, Object> container);
    }

    /** Every container and init container anywhere in the object, as kustomize's image transformer finds them. */
    private static void images(Object node, ContainerVisitor visitor) {
        if (node instanceof Map<?, ?> mapping) {
            for (Map.Entry<?, ?> entry : mapping.entrySet()) {
                if ((entry.getKey().equals("containers") || entry.getKey().equals("initContainers"))
                        && entry.getValue() instanceof List<?> containers) {
                    containers.forEach(container -> visitor.visit(map(container)));
                } else {
                    images(entry.getValue(), visitor);
                }
            }
        } else if (node instanceof List<?> items) {
            items.forEach(item -> images(item, visitor));
        }
    }

    /** The pod specs of an object: its template's (Deployment, StatefulSet, DaemonSet, Job) or its job template's. */
    static List<Map<String, Object>> podSpecs(Map<String, Object> object) {
        Map<String, Object> spec = map(object.get("spec"));
        List<Map<String, Object>> pods = new ArrayList<>();
        switch (String.valueOf(object.get("kind"))) {
            case "Pod" -> pods.add(spec);
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> pods.add(map(map(spec.get("template")).get("spec")));
            case "CronJob" -> pods.add(map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template")).get("spec")));
            default -> {
            }
        }
        return pods;
    }

    // --- files -------------------------------------------------------------------------------------------------

    private List<Object> yaml(Path file) {
        List<Object> documents = new ArrayList<>();
        new Yaml().loadAll(text(file)).forEach(document -> {
            if (document != null) {
                documents.add(document);
            }
        });
        return documents;
    }

    private String text(Path file) {
        files.add(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw fail(file, "not UTF-8 (binary data is not supported)");
        } catch (IOException e) {
            throw fail(file, "cannot be read: " + e.getMessage());
        }
    }

    private static Map<String, Object> object(Path file, Object document) {
        Map<String, Object> object = map(document);
        if (!(object.get("apiVersion") instanceof String) || !(object.get("kind") instanceof String)
                || !(map(object.get("metadata")).get("name") instanceof String)) {
            throw fail(file, "an object without apiVersion, kind or metadata.name");
        }
        return map(copy(object));
    }

    private static List<?> strings(Path file, Map<String, Object> owner, String field) {
        Object value = owner.get(field);
        if (value != null && !(value instanceof List<?>)) {
            throw fail(file, field + " is not a list");
        }
        for (Object item : list(value)) {
            if (!(item instanceof String)) {
                throw fail(file, field + " holds " + item + ", not a string");
            }
        }
        return list(value);
    }

    /** kustomize's default load restriction: a file (not a kustomization folder) must lie in the kustomization's folder. */
    private static void requireInside(Path file, Path folder, Path path) {
        if (!path.startsWith(folder)) {
            throw fail(file, path + " lies outside " + folder + " (kustomize's root-only load restriction)");
        }
    }

    private static void requireUnique(Path file, List<Resource> resources) {
        Set<String> ids = new LinkedHashSet<>();
        for (Resource resource : resources) {
            if (!ids.add(resource.id())) {
                throw fail(file, "two objects " + resource.id());
            }
        }
    }

    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> mapping) {
            Map<String, Object> copy = new LinkedHashMap<>();
            mapping.forEach((key, item) -> copy.put(String.valueOf(key), copy(item)));
            return copy;
        }
        if (value instanceof List<?> items) {
            List<Object> copy = new ArrayList<>();
            items.forEach(item -> copy.add(copy(item)));
            return copy;
        }
        return value;
    }

    private static IllegalStateException fail(Path file, String problem) {
        return new IllegalStateException("kustomize " + file + ": " + problem);
    }
}
