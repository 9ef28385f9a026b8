"""Push channels: Web Push subscriptions (VAPID) and native device tokens (FCM HTTP v1)."""
