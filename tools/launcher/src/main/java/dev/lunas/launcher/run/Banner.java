package dev.lunas.launcher.run;

import java.util.List;
import java.util.UUID;

/** What {@code ./lunas run} prints once everything is up: what runs where, and a checkout to try. */
final class Banner {

    private Banner() {
    }

    static String text(RunPlan plan, Workspace workspace, List<Service> services) {
        StringBuilder text = new StringBuilder("\nLunas is running. Ctrl-C stops everything.\n\n");
        if (plan.demoStorefront()) {
            row(text, "Storefront", storefront(plan) + "   the demo shop: buy a package in a browser");
        }
        if (services.contains(Service.ORDER)) {
            row(text, "order-service", RunPlan.local(plan.ports().orderService()) + "   storefront API /api, OpenAPI /q/openapi");
        }
        if (services.contains(Service.PAYMENT)) {
            row(text, "payment-service", RunPlan.local(plan.ports().paymentService()) + "   Midtrans notifications: POST /webhooks/midtrans");
        }
        if (services.contains(Service.NOTIFICATION)) {
            row(text, "notification-service", RunPlan.local(plan.ports().notificationService()));
        }
        if (plan.embeddedDatabase()) {
            row(text, "PostgreSQL", "localhost:" + plan.ports().postgres() + " database " + RunPlan.DATABASE + ", user "
                    + RunPlan.DATABASE_USER + "/" + RunPlan.DATABASE_PASSWORD + "   data in " + workspace.shown(workspace.postgresData()));
        }
        if (plan.midtransSimulator()) {
            row(text, "Midtrans simulator", RunPlan.local(plan.ports().midtransSimulator()) + "   server key "
                    + RunPlan.SIMULATOR_SERVER_KEY + ", ledger /simulator/ledger");
        }
        if (plan.mailSink()) {
            row(text, "Mail sink (SMTP)", "localhost:" + plan.ports().smtp());
        }
        if (plan.mailSink() || plan.whatsAppSink()) {
            row(text, "Messages", RunPlan.local(plan.ports().messages()) + "   mail" + (plan.whatsAppSink() ? " and WhatsApp" : "")
                    + ", files in " + workspace.shown(workspace.outbox()));
        }
        if (plan.whatsAppSink()) {
            row(text, "WhatsApp gateway", RunPlan.local(plan.ports().messages()) + "/" + RunPlan.WHATSAPP_PHONE_NUMBER_ID
                    + "/messages   token " + RunPlan.WHATSAPP_TOKEN);
        }
        row(text, "Logs", workspace.shown(workspace.logs()) + "/");
        for (String real : plan.passedThrough()) {
            row(text, "Real system", real);
        }
        if (services.contains(Service.ORDER)) {
            text.append(walkthrough(plan));
        }
        return text.toString();
    }

    private static String walkthrough(RunPlan plan) {
        String orders = RunPlan.local(plan.ports().orderService());
        StringBuilder text = new StringBuilder();
        if (plan.demoStorefront()) {
            text.append("\nBuy a package in a browser: open ").append(storefront(plan)).append(" (docs/storefront.md explains the flow).\n");
        }
        text.append("\nWalk a checkout with curl:\n");
        text.append("  curl -s ").append(orders).append("/api/packages\n");
        text.append("  curl -s -X POST ").append(orders).append("/api/orders \\\n")
                .append("    -H 'Content-Type: application/json' -H 'Idempotency-Key: ").append(UUID.randomUUID()).append("' \\\n")
                .append("    -d '{\"packageId\":\"ai-movie-course\",\"customer\":{\"name\":\"Budi Santoso\","
                        + "\"email\":\"budi@example.com\",\"phone\":\"081234567890\"}}'\n");
        if (plan.midtransSimulator()) {
            text.append("  # open the answer's redirectUrl in a browser and press \"Pay now\", or let the simulator pay:\n")
                    .append("  curl -s -X POST ").append(RunPlan.local(plan.ports().midtransSimulator()))
                    .append("/simulator/transactions/<orderId>/settle\n");
        } else {
            text.append("  # open the answer's redirectUrl in a browser and pay on Midtrans's page\n");
        }
        text.append("  curl -s ").append(orders).append("/api/orders/<orderId>      # \"status\": \"PAID\"\n");
        if (plan.mailSink() || plan.whatsAppSink()) {
            text.append("  curl -s ").append(RunPlan.local(plan.ports().messages())).append("/api/messages   # the email and WhatsApp message\n");
            text.append("In a browser: the redirectUrl to pay, ").append(RunPlan.local(plan.ports().messages()))
                    .append(" to read the messages");
            if (plan.midtransSimulator()) {
                text.append(", ").append(RunPlan.local(plan.ports().midtransSimulator())).append(" for the simulator's transactions");
            }
            text.append(".\n");
        }
        return text.toString();
    }

    /** The demo storefront's address: the origin the services allow (CORS) and send Snap's customers back to. */
    static String storefront(RunPlan plan) {
        return plan.settings().get("STOREFRONT_ORIGIN");
    }

    private static void row(StringBuilder text, String what, String where) {
        text.append("  ").append(what).append(" ".repeat(Math.max(1, 22 - what.length()))).append(where).append('\n');
    }
}
