package dev.notify.examples.domain;

/**
 * Someone the office messages who is not an applicant: staff, officials, leaders, community contacts.
 *
 * @param id database id
 * @param name display name
 * @param phone WhatsApp number
 * @param role e.g. {@code staff}, {@code officials}, {@code leaders}
 */
public record Person(String id, String name, String phone, String role) {}
