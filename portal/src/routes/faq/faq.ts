import type { Locale } from "$lib/i18n/messages";

export type FaqItem = { question: string; answer: string };

/** The consumer FAQ (F-CONSUMER-05): static text in both languages. */
export const faq: Record<Locale, FaqItem[]> = {
  ru: [
    {
      question: "Что такое GridLedger?",
      answer:
        "Система учёта и расчётов за электроэнергию. Показания приборов учёта, счета и платежи записываются в распределённый реестр, который ведут несколько участников рынка, поэтому изменить их задним числом незаметно нельзя.",
    },
    {
      question: "Откуда берутся показания?",
      answer:
        "Устройство сбора данных рядом с прибором учёта каждые полчаса считывает показания, подписывает их своим ключом и отправляет в реестр. Подпись проверяется смарт-контрактом.",
    },
    {
      question: "Что означает хеш транзакции рядом с показанием?",
      answer:
        "Это номер записи в реестре. По нему любой участник может найти исходную транзакцию и убедиться, что показание не менялось.",
    },
    {
      question: "Почему показания нарастающим итогом, а график — по зонам?",
      answer:
        "Прибор учёта хранит накопленные значения по каждой тарифной зоне (T1–T4). Потребление за период — это разность показаний на конец и на начало периода; график показывает именно её.",
    },
    {
      question: "В какое время указаны показания?",
      answer: "Время и границы суток и месяцев — московские (UTC+3).",
    },
    {
      question: "Я не вижу свой лицевой счёт. Что делать?",
      answer:
        "Лицевой счёт открывает ваша сбытовая компания. Если счёта нет в списке, обратитесь в неё: счёт должен быть привязан к вашей учётной записи.",
    },
    {
      question: "Как сменить язык интерфейса?",
      answer:
        "Переключатель RU/EN вверху страницы; выбор запоминается в этом браузере. Язык можно сохранить и в профиле.",
    },
  ],
  en: [
    {
      question: "What is GridLedger?",
      answer:
        "A system for electricity metering and settlement. Meter readings, invoices and payments are written to a distributed ledger kept by several market participants, so nobody can change them afterwards unnoticed.",
    },
    {
      question: "Where do the readings come from?",
      answer:
        "A data-collection device next to the meter reads it every half hour, signs the readings with its key and sends them to the ledger. A smart contract checks the signature.",
    },
    {
      question: "What is the transaction hash next to a reading?",
      answer:
        "It identifies the ledger record. Any participant can look up the original transaction with it and check that the reading has not changed.",
    },
    {
      question: "Why are readings cumulative while the chart shows zones?",
      answer:
        "A meter keeps running totals per tariff zone (T1–T4). Consumption for a period is the difference between the readings at its end and start; that is what the chart shows.",
    },
    {
      question: "Which time zone are the readings in?",
      answer: "Times and the boundaries of days and months are Moscow time (UTC+3).",
    },
    {
      question: "I cannot see my account. What should I do?",
      answer:
        "Your retail company opens the account. If it is not in the list, contact them: the account must be linked to your user.",
    },
    {
      question: "How do I change the interface language?",
      answer:
        "Use the RU/EN switch at the top of the page; this browser remembers the choice. You can also save the language in your profile.",
    },
  ],
};
