DROP TABLE IF EXISTS watchdog_alert;
