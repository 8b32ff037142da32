package io.gatehouse.server.api;

import java.util.List;

/** A page of a listing as the API returns it. */
record ListPage<T>(List<T> items, String continuationToken) {}
