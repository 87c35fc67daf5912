/** The event contract shared by every service: envelope, types, codec, validation and fold. */
package io.retailstack.events;
