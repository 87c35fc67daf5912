package io.retailstack.events.data;

/** Where an order was placed. */
public enum Channel {
    WEB,
    APP,
    STORE,
    MARKETPLACE
}
